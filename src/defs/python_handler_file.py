"""What a Python handler's file holds, read without running it (an import would run the user's code): where it, or a
module of its own folder it imports, fails to compile; the callables it defines at top level; and the import
statement that names a module (or name) Python could not import. The diagnosis of Runtime.UserCodeSyntaxError,
Runtime.HandlerNotFound and Runtime.ImportModuleError (src/defs/handler-file.ts) for the function's own
interpreter, so the syntax is that of its version. Standard library only; prints one JSON object.

Usage: python -I -B python_handler_file.py <handler file> <code root> [<missing module> [<missing name>]]
"""
import ast
import json
import os
import sys

# A project's own imports are few; a folder of vendored packages is not worth walking.
MAX_FILES = 200


def compiled(path):
    """The file's syntax tree, or the SyntaxError that stops Python compiling it (the compiler's checks too:
    `return` outside a function is found by compile, not by the parser)."""
    with open(path, "rb") as f:
        source = f.read()
    compile(source, path, "exec", dont_inherit=True)
    return ast.parse(source, path)


def syntax_of(error, path):
    text = (error.text or "").split("\n")[0].rstrip("\r")
    return {
        "file": os.path.abspath(error.filename or path),
        "line": error.lineno or 1,
        # Python counts columns from 1; esbuild, whose shape this shares, from 0.
        "column": max(0, (error.offset or 1) - 1),
        "lineText": text,
        "text": error.msg,
    }


def top_level_callables(tree):
    """Functions, classes and lambdas bound at the module's top level (inside `if` / `try` / `with` too)."""
    names = []

    def visit(body):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(node.name)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    visit(inner)

    visit(tree.body)
    return [n for n in dict.fromkeys(names) if not n.startswith("__")]


def package_of(path, root):
    """The dotted package a file of the code root is in (`pkg.sub` for root/pkg/sub/mod.py)."""
    folder = os.path.relpath(os.path.dirname(path), root)
    return "" if folder == "." else folder.replace(os.sep, ".")


def absolute(node, path, root):
    """An ImportFrom's module as an absolute name (`from .x import y` in pkg/mod.py → `pkg.x`)."""
    if not node.level:
        return node.module or ""
    parts = package_of(path, root).split(".") if package_of(path, root) else []
    base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join(base + ([node.module] if node.module else []))


def local_file(module, root):
    """The code root's own file of a module (`a.b` → root/a/b.py or root/a/b/__init__.py), or None."""
    if not module:
        return None
    base = os.path.join(root, *module.split("."))
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    return None


def imports(tree, path, root, loading):
    """Each import statement's (node, [modules it imports, the names it asks for as `module.name` too], [names]),
    in source order (the order Python runs them in, as far as reading can tell). `loading`: only those that run
    as the module loads, not those in a function's body."""
    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.append((child, [a.name for a in child.names], []))
            elif isinstance(child, ast.ImportFrom):
                module = absolute(child, path, root)
                names = [a.name for a in child.names]
                found.append((child, [module] + [f"{module}.{n}" if module else n for n in names], names))
            elif not (loading and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))):
                visit(child)

    visit(tree)
    return sorted(found, key=lambda item: (item[0].lineno, item[0].col_offset))


def names_missing(node, modules, names, missing_module, missing_name):
    if missing_name is not None:
        return isinstance(node, ast.ImportFrom) and modules[0] == missing_module and missing_name in names
    # `import a.b.c` fails with "No module named 'a'" when a is missing, "'a.b'" when a has no b.
    return any(m == missing_module or m.startswith(missing_module + ".") for m in modules)


def location(node, path, lines):
    line = lines[node.lineno - 1] if node.lineno - 1 < len(lines) else ""
    return {"file": os.path.abspath(path), "line": node.lineno, "column": node.col_offset, "lineText": line}


def main(argv):
    handler, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    missing_module = argv[3] if len(argv) > 3 and argv[3] else None
    missing_name = argv[4] if len(argv) > 4 and argv[4] else None
    result = {"syntax": None, "defines": None, "import": None}
    seen = set()

    def walk(path, loading):
        """Depth first, as Python imports: a local module's own imports run before the next line of its importer."""
        if path in seen or len(seen) >= MAX_FILES:
            return False
        seen.add(path)
        try:
            tree = compiled(path)
        except SyntaxError as error:
            result["syntax"] = syntax_of(error, path)
            return True
        except (OSError, ValueError):
            return False
        if path == handler:
            result["defines"] = top_level_callables(tree)
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        for node, modules, names in imports(tree, path, root, loading):
            if missing_module is not None and names_missing(node, modules, names, missing_module, missing_name):
                result["import"] = location(node, path, lines)
                return True
            for module in modules:
                own = local_file(module, root)
                if own and walk(own, loading):
                    return True
        return False

    # What runs as the handler's module loads; failing that (an import that runs from a module-level call), any.
    if not walk(handler, True) and missing_module is not None:
        seen.clear()
        walk(handler, False)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
