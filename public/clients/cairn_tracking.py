"""Cairn experiment tracking for training scripts: standard library only.

    import cairn_tracking as cairn

    with cairn.start_run(project="acme-logistics/eta-prediction", experiment="gbdt",
                         params={"depth": 6, "optimizer": {"lr": 0.1}}) as run:
        for step in range(100):
            run.log_metrics({"loss": 1 / (step + 1), "acc": step / 100}, step=step)
        run.log_artifact("model.onnx")

Configuration comes from arguments or the environment: CAIRN_API_URL (e.g. http://localhost:3000),
CAIRN_TOKEN (an API token), CAIRN_PROJECT ("org-slug/project-slug") or CAIRN_PROJECT_ID, and
CAIRN_RUN_ID to attach to a run that Cairn started (its worker sets all of these).

Metrics are buffered and sent in batches of up to 10,000 points. Every batch carries an id, so a
batch retried after a network error is stored once. NaN and infinities are sent as such.
Download this file from a running Cairn at /clients/cairn_tracking.py.
"""

import json
import math
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

__all__ = ["CairnError", "Run", "start_run", "attach_run"]
__version__ = "0.1.0"

MAX_BATCH = 10_000


class CairnError(Exception):
    """An error answered by Cairn (status and message from the server)."""

    def __init__(self, status, code, message):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def _number(value):
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


class _Client:
    def __init__(self, url=None, token=None, timeout=60, retries=4):
        self.url = (url or os.environ.get("CAIRN_API_URL") or "http://localhost:3000").rstrip("/")
        self.token = token or os.environ.get("CAIRN_TOKEN")
        if not self.token:
            raise CairnError(0, "CONFIG", "no API token: pass token= or set CAIRN_TOKEN")
        self.timeout = timeout
        self.retries = retries

    def _request(self, method, path, body=None, headers=None):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body, allow_nan=False).encode()
        all_headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        all_headers.update(headers or {})
        delay = 0.5
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(self.url + path, data=data, method=method, headers=all_headers)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as res:
                    raw = res.read()
                    return json.loads(raw) if raw else None
            except urllib.error.HTTPError as err:
                payload = err.read()
                # 5xx and 429 are worth another try; 4xx answers will not change.
                if (err.code >= 500 or err.code == 429) and attempt < self.retries:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise _http_error(err.code, payload) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
                if attempt >= self.retries:
                    raise
                time.sleep(delay)
                delay *= 2
        raise CairnError(0, "UNREACHABLE", self.url)

    def call(self, procedure, payload, mutation=True):
        """Calls a tRPC procedure (superjson wire format) and returns its result."""
        if mutation:
            out = self._request("POST", f"/api/trpc/{procedure}", {"json": payload})
        else:
            query = urllib.parse.quote(json.dumps({"json": payload}, allow_nan=False))
            out = self._request("GET", f"/api/trpc/{procedure}?input={query}")
        return out["result"]["data"]["json"]


def _http_error(status, payload):
    try:
        body = json.loads(payload)
    except ValueError:
        return CairnError(status, "HTTP", payload[:500].decode(errors="replace"))
    err = body.get("error", body)
    if isinstance(err, dict) and "json" in err:
        err = err["json"]
        return CairnError(status, err.get("data", {}).get("code", "ERROR"), err.get("message", ""))
    if isinstance(err, dict):
        return CairnError(status, err.get("code", "ERROR"), err.get("message", ""))
    return CairnError(status, "ERROR", str(err))


def _git(*args):
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def _code_version():
    commit = _git("rev-parse", "HEAD")
    if not commit:
        return None
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"repo": _git("config", "--get", "remote.origin.url") or os.getcwd(), "commit": commit, "dirty": bool(status)}


def _environment():
    env = {
        "host": socket.gethostname(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "executable": sys.executable,
    }
    packages = {}
    try:
        from importlib import metadata

        for name in ("numpy", "pandas", "scikit-learn", "scipy", "torch", "xgboost", "onnx", "onnxruntime", "tensorflow", "lightgbm"):
            try:
                packages[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                pass
    except ImportError:
        pass
    env["packages"] = packages
    try:
        gpus = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"], capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
        env["gpus"] = [g.strip() for g in gpus.splitlines() if g.strip()]
    except (OSError, subprocess.SubprocessError):
        env["gpus"] = []
    return env


class Run:
    """A run in Cairn. Use as a context manager: it finishes FINISHED, or FAILED on an exception."""

    def __init__(self, client, project_id, data):
        self._client = client
        self.project_id = project_id
        self.id = data["id"]
        self.number = data.get("number")
        self.name = data.get("name")
        self._buffer = []
        self._step = 0
        self._flush_every = 1000
        self._last_flush = time.monotonic()
        # A run that Cairn's worker started (CAIRN_RUN_ID) is ended by the worker, which checks the outputs first.
        self.managed = False

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.finish("FAILED" if exc_type else "FINISHED")
        return False

    def log_params(self, params):
        """Logs params (nested dicts become dotted keys). A param cannot change once logged."""
        self._client.call("run.logParams", {"projectId": self.project_id, "runId": self.id, "params": params})

    def set_tags(self, tags=None, note=None, remove=None):
        """Adds or changes tags, removes the keys in `remove`, and sets the note when given."""
        payload = {"projectId": self.project_id, "runId": self.id, "tags": {k: str(v) for k, v in (tags or {}).items()}}
        if remove:
            payload["removeTags"] = list(remove)
        if note is not None:
            payload["note"] = note
        self._client.call("run.setTags", payload)

    def log_metric(self, key, value, step=None, timestamp=None):
        self.log_metrics({key: value}, step=step, timestamp=timestamp)

    def log_metrics(self, metrics, step=None, timestamp=None):
        """Buffers metric points; they are sent every 1,000 points, every 5 s, and at finish."""
        if step is None:
            step = self._step
        self._step = max(self._step, int(step) + 1)
        ts = int((timestamp if timestamp is not None else time.time()) * 1000)
        for key, value in metrics.items():
            self._buffer.append({"key": str(key), "step": int(step), "value": _number(value), "timestamp": ts})
        if len(self._buffer) >= self._flush_every or time.monotonic() - self._last_flush > 5:
            self.flush()

    def flush(self):
        """Sends buffered points in batches; each batch id makes its retries idempotent."""
        while self._buffer:
            batch, self._buffer = self._buffer[:MAX_BATCH], self._buffer[MAX_BATCH:]
            self._client.call(
                "run.logMetrics",
                {"projectId": self.project_id, "runId": self.id, "batchId": str(uuid.uuid4()), "points": batch},
            )
        self._last_flush = time.monotonic()

    def log_artifact(self, local_path, artifact_path=None):
        """Uploads a file as an artifact of this run (under artifact_path, default its file name)."""
        name = artifact_path or os.path.basename(local_path)
        quoted = "/".join(urllib.parse.quote(part, safe="") for part in name.split("/"))
        with open(local_path, "rb") as fh:
            body = fh.read()
        return self._client._request(
            "PUT",
            f"/api/v1/projects/{self.project_id}/runs/{self.id}/artifacts/{quoted}",
            body,
            {"Content-Type": "application/octet-stream"},
        )

    def finish(self, status="FINISHED"):
        self.flush()
        if not self.managed:
            self._client.call("run.finish", {"projectId": self.project_id, "runId": self.id, "status": status})

    def get(self):
        return self._client.call("run.get", {"projectId": self.project_id, "runId": self.id}, mutation=False)


def _project_id(client, project, project_id):
    project_id = project_id or os.environ.get("CAIRN_PROJECT_ID")
    if project_id:
        return project_id
    project = project or os.environ.get("CAIRN_PROJECT")
    if not project or "/" not in project:
        raise CairnError(0, "CONFIG", 'name the project as "org-slug/project-slug" (project= or CAIRN_PROJECT), or give project_id')
    org_slug, project_slug = project.split("/", 1)
    return client.call("project.get", {"orgSlug": org_slug, "projectSlug": project_slug}, mutation=False)["id"]


def start_run(project=None, experiment="Default", name=None, params=None, tags=None, note=None, inputs=None,
              project_id=None, url=None, token=None, capture_code=True, capture_environment=True):
    """Starts a run (or attaches to CAIRN_RUN_ID when Cairn started this process)."""
    client = _Client(url, token)
    pid = _project_id(client, project, project_id)
    if os.environ.get("CAIRN_RUN_ID"):
        run = attach_run(os.environ["CAIRN_RUN_ID"], project_id=pid, url=url, token=token)
        if params:
            run.log_params(params)
        if tags:
            run.set_tags(tags)
        return run
    payload = {"projectId": pid, "experiment": experiment}
    if name:
        payload["name"] = name
    if params:
        payload["params"] = params
    if tags:
        payload["tags"] = {k: str(v) for k, v in tags.items()}
    if note:
        payload["note"] = note
    if inputs:
        payload["inputs"] = list(inputs)
    if capture_code:
        code = _code_version()
        if code:
            payload["code"] = code
    if capture_environment:
        payload["environment"] = _environment()
    return Run(client, pid, client.call("run.create", payload))


def attach_run(run_id, project=None, project_id=None, url=None, token=None):
    """A handle on an existing run, e.g. one created by Cairn's training worker."""
    client = _Client(url, token)
    pid = _project_id(client, project, project_id)
    run = Run(client, pid, client.call("run.get", {"projectId": pid, "runId": run_id}, mutation=False))
    run.managed = run_id == os.environ.get("CAIRN_RUN_ID")
    return run
