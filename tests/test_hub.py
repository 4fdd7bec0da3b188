"""A class on one server (deploy/hub/jupyterhub_config.py, docs/CLASSROOM_SERVER.md), for real, on loopback.

JupyterHub with configurable-http-proxy starts on 127.0.0.1 for three students, each a Unix user of this
machine. Each student's server clones the course through nbgitpuller's link, and runs as that student:
a kernel of one student reads its own lesson but gets «Permission denied» on another's. Then everything stops
and the users are removed. Needs root (it creates users), npm (the proxy) and a minute.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from labkit import free_port

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "hub" / "jupyterhub_config.py"
PROXY_DIR = ROOT / "build" / "hub-proxy"
STUDENTS = ["fnnstudent1", "fnnstudent2", "fnnstudent3"]
LESSON = "course/notebooks/01_perceptron.ipynb"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.geteuid() != 0, reason="создаёт пользователей: нужен root")]


HUB_VENV = ROOT / "build" / "hub-venv"
SYSTEM_PYTHON = "/usr/bin/python3"


def students_venv() -> Path:
    """The course's environment as a class server has it: built from a Python every user may run (the
    developer's own interpreter may live in root's home), with lib installed as a package, not editable."""
    locks = [ROOT / "requirements" / "course.txt", ROOT / "requirements" / "hub.txt"]
    stamp = HUB_VENV / ".locks"
    want = "".join(p.read_text(encoding="utf-8") for p in locks)
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == want):
        if not Path(SYSTEM_PYTHON).exists():
            pytest.fail(f"нужен системный Python {SYSTEM_PYTHON} (apt-get install python3-venv)", pytrace=False)
        shutil.rmtree(HUB_VENV, ignore_errors=True)
        subprocess.run([SYSTEM_PYTHON, "-m", "venv", str(HUB_VENV)], check=True)
        pip = [str(HUB_VENV / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
        subprocess.run([*pip, "--no-deps", *[a for p in locks for a in ("-r", str(p))]], check=True, timeout=900)
        subprocess.run([*pip, "--no-deps", str(ROOT)], check=True, timeout=300)
        subprocess.run(
            [str(HUB_VENV / "bin" / "python"), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"],
            check=True,
            capture_output=True,
        )
        stamp.write_text(want, encoding="utf-8")
    subprocess.run(["chmod", "-R", "a+rX", str(HUB_VENV)], check=True)
    return HUB_VENV


def proxy_command() -> str:
    """configurable-http-proxy from npm, installed once into build/hub-proxy/."""
    exe = PROXY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    if not exe.exists():
        if not shutil.which("npm"):
            pytest.fail("нужен npm (apt-get install npm), чтобы поставить configurable-http-proxy", pytrace=False)
        PROXY_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(PROXY_DIR),
                "configurable-http-proxy@5.3.0",
            ],
            check=True,
            timeout=300,
        )
    return str(exe)


class Hub:
    def __init__(self, port: int, token: str):
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def call(self, method: str, path: str, body=None, *, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
        return json.loads(text) if text.strip().startswith(("{", "[")) else text

    def wait_ready(self, user: str, deadline: float):
        while time.monotonic() < deadline:
            server = self.call("GET", f"/hub/api/users/{user}").get("servers", {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"сервер {user} не поднялся")

    def run_in_kernel(self, user: str, code: str) -> str:
        """Start a kernel on the user's server, run ``code``, return what it printed (stdout + error name)."""
        import websocket

        kernel = self.call("POST", f"/user/{user}/api/kernels", {"name": "python3"})
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.base.rsplit(':', 1)[1]}/user/{user}/api/kernels/{kernel['id']}/channels",
            header=[f"Authorization: token {self.token}"],
            timeout=60,
        )
        msg_id = uuid.uuid4().hex
        ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": "test",
                        "session": uuid.uuid4().hex,
                        "msg_type": "execute_request",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                    },
                }
            )
        )
        out = []
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                out.append(msg["content"]["ename"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
        ws.close()
        self.call("DELETE", f"/user/{user}/api/kernels/{kernel['id']}")
        return "".join(out)


def rss_mib(pids) -> float:
    import psutil

    return sum(psutil.Process(p).memory_info().rss for p in pids) / 2**20


def test_three_students_each_get_the_course_and_cannot_read_each_other(tmp_path):
    proxy = proxy_command()
    venv = students_venv()
    work = Path(
        tempfile.mkdtemp(prefix="fnn-hub-")
    )  # students must reach the course repo: not under /tmp/pytest-of-root
    os.chmod(work, 0o755)
    repo = work / "course.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(ROOT), str(repo)], check=True)
    # the course as students reach it: a remote (here git's own daemon on loopback), not a path on disk
    git_port = free_port()
    daemon = subprocess.Popen(
        [
            "git",
            "daemon",
            "--export-all",
            "--reuseaddr",
            f"--base-path={work}",
            "--listen=127.0.0.1",
            f"--port={git_port}",
            str(work),
        ],
        start_new_session=True,
    )
    url = f"git://127.0.0.1:{git_port}/course.git"
    for user in STUDENTS:
        subprocess.run(["userdel", "-r", user], capture_output=True)
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", user], check=True)
        os.chmod(f"/home/{user}", 0o700)
    port = free_port()
    token = uuid.uuid4().hex
    env = dict(
        os.environ,
        COURSE_VENV=str(venv),
        HUB_STATE_DIR=str(work / "state"),
        HUB_PORT=str(port),
        COURSE_REPO=url,
        COURSE_BRANCH=current_branch(),
        HUB_PROXY=proxy,
        HUB_STUDENTS=" ".join(STUDENTS),
        HUB_TEST_TOKEN=token,
    )
    log = open(work / "hub.log", "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    hub = Hub(port, token)
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                hub.call("GET", "/hub/api/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None and time.monotonic() < deadline, (work / "hub.log").read_text()[-3000:]
                time.sleep(0.5)
        known = {u["name"] for u in hub.call("GET", "/hub/api/users")}  # allowed_users are added at start
        assert set(STUDENTS) <= known, known
        for user in STUDENTS:
            hub.call("POST", f"/hub/api/users/{user}/server")
        for user in STUDENTS:
            hub.wait_ready(user, deadline)
            # what the nbgitpuller link does on the student's first visit
            done = hub.call(
                "GET", f"/user/{user}/git-pull/api?repo={url}&branch={current_branch()}&targetpath=course", timeout=120
            )
            assert "error" not in done.lower() or '"phase": "finished"' in done, done[-1000:]
            listing = hub.call("GET", f"/user/{user}/api/contents/course/notebooks")
            assert "01_perceptron.ipynb" in {item["name"] for item in listing["content"]}
        # the student's work: each writes a note only they should read
        for user in STUDENTS:
            assert "моё" in hub.run_in_kernel(
                user,
                f"open('/home/{user}/course/заметка.txt', 'w').write('моё')\n"
                f"print(open('/home/{user}/course/заметка.txt').read())",
            )
        servers = server_pids(STUDENTS)
        for user in STUDENTS:
            assert {owner(pid) for pid in servers[user]} == {user}, f"сервер {user} работает не от {user}"
        for user, other in zip(STUDENTS, STUDENTS[1:] + STUDENTS[:1]):
            out = hub.run_in_kernel(user, f"print(open('/home/{other}/course/заметка.txt').read())")
            assert "PermissionError" in out and "моё" not in out, f"{user} прочёл работу {other}: {out!r}"
            out = hub.run_in_kernel(user, f"print(len(open('/home/{other}/{LESSON}').read()))")
            assert "PermissionError" in out, f"{user} открыл урок {other}: {out!r}"
        per_server = rss_mib([p for pids in servers.values() for p in pids]) / len(STUDENTS)
        # a kernel as a lesson uses it: numpy, matplotlib, the course's lib and widgets imported
        kernel_kib = hub.run_in_kernel(
            STUDENTS[0],
            "import matplotlib.pyplot, lib.lstm, lib.widgets.lstm, resource\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
        )
        per_kernel = int(kernel_kib.strip().splitlines()[-1]) / 1024
        (ROOT / "build").mkdir(exist_ok=True)
        (ROOT / "build" / "hub_memory.json").write_text(
            json.dumps({"server_MiB": round(per_server, 1), "kernel_MiB": round(per_kernel, 1)}) + "\n"
        )
        print(f"память: сервер ученика {per_server:.0f} МиБ, ядро с уроком {per_kernel:.0f} МиБ")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        (ROOT / "build").mkdir(exist_ok=True)
        shutil.copyfile(work / "hub.log", ROOT / "build" / "hub.log")  # for a failed run: what the hub said
        os.killpg(daemon.pid, signal.SIGTERM)
        for user in STUDENTS:
            subprocess.run(["pkill", "-u", user], capture_output=True)
        time.sleep(1)
        for user in STUDENTS:
            subprocess.run(["userdel", "-r", user], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def current_branch() -> str:
    res = subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    name = res.stdout.strip()
    return name if name and name != "HEAD" else "main"


def server_pids(users) -> dict[str, list[int]]:
    import psutil

    found = {u: [] for u in users}
    for p in psutil.process_iter(["pid", "username", "cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if "jupyterhub-singleuser" in cmd and p.info["username"] in found:
            found[p.info["username"]].append(p.info["pid"])
    assert all(found.values()), f"не найдены серверы: {found}"
    return found


def owner(pid: int) -> str:
    import psutil

    return psutil.Process(pid).username()
