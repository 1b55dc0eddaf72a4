#!/usr/bin/env python3
"""A Passage cluster on one machine, all on loopback: a PostgreSQL primary and its synchronous
streaming replica (the registry), three `passage serve` replicas on one store, and HAProxy in front,
health-checking /readyz and retrying a request on a replica that failed it.

    cluster.py up DIR     start everything under DIR (created), print the addresses
    cluster.py down DIR   stop everything started under DIR, leaving nothing running
    cluster.py test       up in a scratch folder, run tests/cluster/checks.py, down

The registry's URL names both PostgreSQL servers with target_session_attrs=read-write, so clients
find the new primary after a failover. Takes the binary from $PASSAGE_BIN (default
target/debug/passage) and the data from $PASSAGE_SHARED_DATA (default ../shared/data).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("PASSAGE_BIN", os.path.join(ROOT, "target", "debug", "passage"))
SHARED = os.environ.get("PASSAGE_SHARED_DATA", os.path.join(os.path.dirname(ROOT), "shared", "data"))
SOURCE_VERSION = "unhcr=2025.12.1"
REPLICAS = 3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir():
    base = "/usr/lib/postgresql"
    versions = sorted(os.listdir(base), key=lambda v: [int(x) for x in v.split(".") if x.isdigit()])
    return os.path.join(base, versions[-1], "bin")


def as_postgres():
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def pg(cmd, *args, check=True, timeout=60):
    """A PostgreSQL tool run as the postgres user, bounded so a stuck standby cannot hang a run."""
    return subprocess.run(
        as_postgres() + [os.path.join(pg_bindir(), cmd), *args],
        check=check,
        timeout=timeout,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def psql(port, sql, sockdir):
    return pg("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "passage", "-d", "passage", "-Atc", sql).stdout


def env_for(state):
    env = dict(os.environ)
    env.pop("PASSAGE_CONFIG", None)
    env["PASSAGE_DATA_DIR"] = state["data"]
    env["PASSAGE_REGISTRY_URL"] = state["registry_url"]
    env["PASSAGE_REGISTRY_READ_URL"] = state["registry_read_url"]
    env["PASSAGE_THREADS"] = "2"
    return env


def wait_ready(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def start_replica(state, i):
    port = state["serve_ports"][i]
    log = open(os.path.join(state["dir"], f"serve-{i}.log"), "ab")
    proc = subprocess.Popen(
        [BIN, "serve", "--addr", f"127.0.0.1:{port}", "--reload-every", "1"],
        env=env_for(state),
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    state["pids"][f"serve-{i}"] = proc.pid
    if not wait_ready(f"http://127.0.0.1:{port}"):
        raise RuntimeError(f"replica {i} on port {port} did not become ready; see serve-{i}.log")
    return proc.pid


def haproxy_config(state):
    servers = "\n".join(
        f"    server r{i} 127.0.0.1:{p} check" for i, p in enumerate(state["serve_ports"])
    )
    return f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch
    # Reads are retried on another replica when one dies under them; writes are not idempotent.
    retry-on conn-failure empty-response response-timeout
frontend passage
    bind 127.0.0.1:{state["haproxy_port"]}
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
{servers}
"""


def save(state):
    with open(os.path.join(state["dir"], "cluster.json"), "w") as f:
        json.dump(state, f, indent=2)


def load(d):
    with open(os.path.join(d, "cluster.json")) as f:
        return json.load(f)


def up(d):
    d = os.path.abspath(d)
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    state = {
        "dir": d,
        "data": os.path.join(d, "data"),
        "pg": os.path.join(d, "pg"),
        "pg_ports": [free_port(), free_port()],
        "serve_ports": [free_port() for _ in range(REPLICAS)],
        "haproxy_port": free_port(),
        "pids": {},
    }
    p1, p2 = state["pg_ports"]
    state["registry_url"] = (
        f"postgres://passage@127.0.0.1:{p1},127.0.0.1:{p2}/passage?target_session_attrs=read-write"
    )
    # Reads go to the replica while it answers; remote_apply makes an acknowledged write visible
    # there before the writer hears of it.
    state["registry_read_url"] = f"postgres://passage@127.0.0.1:{p2}/passage"

    save(state)
    os.makedirs(state["pg"], exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(state["pg"], "postgres")
    primary, replica = os.path.join(state["pg"], "primary"), os.path.join(state["pg"], "replica")
    started = time.time()
    pg("initdb", "-D", primary, "-A", "trust", "-U", "passage", "--no-sync", "--encoding", "UTF8")
    with open(os.path.join(primary, "postgresql.conf"), "a") as f:
        f.write(
            f"listen_addresses='127.0.0.1'\nport={p1}\nunix_socket_directories='{state['pg']}'\n"
            "wal_level=replica\nmax_wal_senders=4\nmax_replication_slots=4\nmax_connections=200\n"
        )
    pg("pg_ctl", "-D", primary, "-l", os.path.join(state["pg"], "primary.log"), "-w", "start")
    pg("createdb", "-h", "127.0.0.1", "-p", str(p1), "-U", "passage", "passage")
    pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(p1), "-U", "passage", "-D", replica,
       "-R", "-X", "stream", "-C", "-S", "replica1", "--checkpoint=fast")
    with open(os.path.join(replica, "postgresql.conf"), "a") as f:
        # Without cluster_name, synchronous_standby_names='replica1' makes every commit wait forever.
        f.write(f"port={p2}\ncluster_name='replica1'\n")
    pg("pg_ctl", "-D", replica, "-l", os.path.join(state["pg"], "replica.log"), "-w", "start")
    # Synchronous: a write the registry acknowledged is on the replica too.
    psql(p1, "ALTER SYSTEM SET synchronous_standby_names='replica1'", state["pg"])
    psql(p1, "ALTER SYSTEM SET synchronous_commit='remote_apply'", state["pg"])
    psql(p1, "SELECT pg_reload_conf()", state["pg"])
    state["pg_setup_s"] = round(time.time() - started, 2)
    save(state)

    sync = subprocess.run(
        [BIN, "sync", "--source-version", SOURCE_VERSION, "--from", SHARED],
        env=env_for(state), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300,
    )
    if sync.returncode != 0:
        raise RuntimeError(f"sync failed: {sync.stderr}")
    # The first replica migrates the registry; the others start on a migrated one.
    for i in range(REPLICAS):
        start_replica(state, i)
        save(state)
    cfg = os.path.join(d, "haproxy.cfg")
    with open(cfg, "w") as f:
        f.write(haproxy_config(state))
    log = open(os.path.join(d, "haproxy.log"), "ab")
    proc = subprocess.Popen(["haproxy", "-f", cfg, "-db"], stdout=log, stderr=log, start_new_session=True)
    state["pids"]["haproxy"] = proc.pid
    save(state)
    if not wait_ready(f"http://127.0.0.1:{state['haproxy_port']}", 30):
        raise RuntimeError("HAProxy did not pass requests; see haproxy.log")
    print(f"cluster up: http://127.0.0.1:{state['haproxy_port']} (replicas on "
          f"{', '.join(str(p) for p in state['serve_ports'])}; PostgreSQL {p1} primary, {p2} replica)")
    return state


def stop_pid(pid, grace=5.0):
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
    deadline = time.time() + grace
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def down(d):
    try:
        state = load(d)
    except FileNotFoundError:
        return
    for name, pid in state.get("pids", {}).items():
        stop_pid(pid)
    for node in ("primary", "replica"):
        path = os.path.join(state["pg"], node)
        if os.path.isdir(path):
            pg("pg_ctl", "-D", path, "-m", "immediate", "stop", check=False)
    print("cluster down: nothing left running")


def test():
    d = tempfile.mkdtemp(prefix="passage-cluster-")
    os.chmod(d, 0o755)
    try:
        state = up(d)
        sys.path.insert(0, HERE)
        import checks

        ok = checks.run(state, sys.modules[__name__])
    finally:
        down(d)
        shutil.rmtree(d, ignore_errors=True)
    return 0 if ok else 1


def main(argv):
    if len(argv) == 3 and argv[1] == "up":
        up(argv[2])
        return 0
    if len(argv) == 3 and argv[1] == "down":
        down(argv[2])
        return 0
    if len(argv) == 2 and argv[1] == "test":
        return test()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
