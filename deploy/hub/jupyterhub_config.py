"""JupyterHub for a class on one server: each student's server runs as that student's own Unix user.

    sudo env COURSE_REPO=https://…/first-neural-networks.git HUB_STUDENTS="ivanov petrova" HUB_TEACHER=teacher \
        .venv/bin/jupyterhub -f deploy/hub/jupyterhub_config.py

Read docs/CLASSROOM_SERVER.md first (what to install, why each setting, the measured memory per student).
Everything is set through environment variables, so the same file serves the real class and the test
(tests/test_hub.py). The hub listens on HUB_IP:HUB_PORT (127.0.0.1:8000 unless said otherwise).

Isolation: LocalProcessSpawner starts every single-user server with the student's own uid and home; with home
folders of mode 0700 one student's kernel cannot read another's files. (Running every server as root, the
easy set-up, lets any student read everybody's work: never do that.)

The course: the first visit to the hub runs nbgitpuller's link (Spawner.default_url), which clones COURSE_REPO
into ~/course and opens the first lesson; later visits pull updates and keep the student's own edits
(nbgitpuller merges: a file the student changed wins over the course's new version).
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

c = get_config()  # noqa: F821 (JupyterHub defines it)

venv = Path(os.environ.get("COURSE_VENV", sys.prefix))
state = Path(os.environ.get("HUB_STATE_DIR", "/srv/jupyterhub"))
state.mkdir(parents=True, exist_ok=True)
port = int(os.environ.get("HUB_PORT", "8000"))
repo = os.environ.get("COURSE_REPO", "")
branch = os.environ.get("COURSE_BRANCH", "main")

# where the hub, its API and its proxy listen
c.JupyterHub.ip = os.environ.get("HUB_IP", "127.0.0.1")
c.JupyterHub.port = port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = port + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 2}"
c.ConfigurableHTTPProxy.command = [os.environ.get("HUB_PROXY", "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

# who may log in: the machine's own accounts (PAM), each student a Unix user
c.JupyterHub.authenticator_class = os.environ.get("HUB_AUTHENTICATOR", "pam")
students = set(os.environ.get("HUB_STUDENTS", "").split())
teacher = os.environ.get("HUB_TEACHER", "")
c.Authenticator.allowed_users = students | ({teacher} if teacher else set())
c.Authenticator.admin_users = {teacher} if teacher else set()

# each student's server: their own uid and home, the course's environment, one BLAS thread per kernel
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.cmd = [str(venv / "bin" / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
}
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
if repo:
    link = urlencode({"repo": repo, "branch": branch, "targetpath": "course",
                      "urlpath": "lab/tree/course/notebooks/01_perceptron.ipynb"})
    c.Spawner.default_url = f"/git-pull?{link}"

# for the test only: a service token that may create users and start servers (never set in a real class)
token = os.environ.get("HUB_TEST_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "course-test", "api_token": token}]
    c.JupyterHub.load_roles = [{
        "name": "course-test",
        "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"],
        "services": ["course-test"],
    }]
