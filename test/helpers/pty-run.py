"""Runs a command on a pseudo-terminal, as a user's terminal would, following a script of steps.

argv[1]: JSON {"command": [...], "steps": [{"wait": s} | {"until": text, "timeout": s} | {"type": text} | {"append": [path, text]}]}
Prints JSON {"output": <everything the command wrote, as text>}.
"""
import json
import os
import pty
import select
import sys
import time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(spec["command"][0], spec["command"])
out = b""


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
    elif "append" in step:
        with open(step["append"][0], "a") as f:
            f.write(step["append"][1])
os.kill(pid, 9)
print(json.dumps({"output": out.decode("utf-8", "replace")}))
