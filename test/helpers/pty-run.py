"""Runs a command on a pseudo-terminal, as a user's terminal would, following a script of steps.

argv[1]: JSON {"command": [...], "size": [rows, columns] (default [40, 120]), "steps": [{"wait": s} | {"until": text, "timeout": s} | {"type": text} | {"append": [path, text]}
                                          | {"mark": name} | {"exit": s}]}
("exit" waits up to s seconds for the command to end by itself, reading what it writes.)
Prints JSON {"output": <everything the command wrote, as text>, "marks": {name: seconds since start},
             "exit": <its exit code if it ended by itself, else null>}.
"""
import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios
import time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(spec["command"][0], spec["command"])
# A user's terminal has a size (a pty starts at 0 × 0): 120 columns, 40 rows unless the spec says otherwise (an
# unsized pty, as `script` gives in CI, is [0, 0]).
rows, columns = spec.get("size", [40, 120])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
out = b""
started = time.time()
marks = {}


def read(seconds, until=None):
    global out
    end = time.time() + seconds
    while time.time() < end:
        if until is not None and until.encode() in out:
            return
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                return


for step in spec["steps"]:
    if "wait" in step:
        read(step["wait"])
    elif "until" in step:
        read(step.get("timeout", 20), step["until"])
    elif "type" in step:
        os.write(fd, step["type"].encode())
    elif "exit" in step:
        end = time.time() + step["exit"]
        while time.time() < end:
            read(0.1)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                read(0.2)
                print(json.dumps({"output": out.decode("utf-8", "replace"), "marks": marks, "exit": os.waitstatus_to_exitcode(status)}))
                sys.exit(0)
    elif "mark" in step:
        marks[step["mark"]] = time.time() - started
    elif "append" in step:
        with open(step["append"][0], "a") as f:
            f.write(step["append"][1])
exit_code = None
done, status = os.waitpid(pid, os.WNOHANG)
if done == pid:
    exit_code = os.waitstatus_to_exitcode(status)
else:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
print(json.dumps({"output": out.decode("utf-8", "replace"), "marks": marks, "exit": exit_code}))
