"""The installed ``actcli`` in real pipes: subprocesses, real stdin/stdout, early-closing readers."""

from __future__ import annotations

import os
import pty
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import actcli
from actcli.formats import format_number

# The installed command, as README installs it; a missing one is a failure, not a skip.
assert shutil.which("actcli"), "actcli is not on PATH: pip install -e '.[test]' first"
ENV = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}


def sh(command: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        input=data,
        capture_output=True,
        env=ENV,
        timeout=120,
        check=False,
    )


def test_seq_into_eval():
    out = sh("seq -2 1 2 | actcli eval relu")
    assert out.returncode == 0
    assert out.stdout == b"x,relu\n-2.0,0.0\n-1.0,0.0\n0.0,0.0\n1.0,1.0\n2.0,2.0\n"
    assert out.stderr == b""


def test_head_closes_the_pipe_quietly():
    out = subprocess.run(
        ["bash", "-c", "seq 1 300000 | actcli eval relu - --format csv | head -1"],
        capture_output=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    assert out.stdout == b"x,relu\n"
    assert b"Traceback" not in out.stderr
    assert out.stderr == b""


@pytest.mark.slow
def test_head_after_a_table_ends_quietly_too():
    out = sh(
        "seq 1 5000 | actcli eval relu -f table | head -1 > /dev/null"
    )  # pipefail: rich's exit
    assert (out.returncode, out.stderr) == (0, b"")


def on_a_terminal(*args: str) -> tuple[int, bytes, bytes]:
    """Run actcli with its stdout on a pseudo-terminal: (exit code, stdout, stderr)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(["actcli", *args], stdout=follower, stderr=subprocess.PIPE, env=ENV)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other side has closed
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


@pytest.mark.slow
def test_a_terminal_gets_a_table_and_csv_beyond_ten_thousand_rows():
    code, out, err = on_a_terminal("eval", "relu", "--range", "0", "1", "--steps", "10000")
    assert code == 0 and err == b"" and "┃".encode() in out
    code, out, err = on_a_terminal("eval", "relu", "--range", "0", "1", "--steps", "10001")
    assert code == 0
    assert err == b"note: over 10,000 rows: CSV, not a table\n"
    lines = out.decode().splitlines()
    assert lines[0] == "x,relu" and len(lines) == 10_002
    code, out, err = on_a_terminal("diff", "softmax", "--range", "0", "1", "--steps", "20")
    assert (code, err) == (0, b"note: 21 columns: CSV, not a table\n")
    assert out.decode().splitlines()[0].startswith("i,x_1,x_2,")


def test_format_table_beyond_what_a_table_shows_is_refused_in_one_line():
    out = sh("actcli eval relu --range 0 1 --steps 5000000 --format table")
    assert out.returncode == 2 and out.stdout == b""
    assert out.stderr == (
        b"error: --format: over 10,000 rows are too many for a table: use --format csv\n"
    )
    out = sh("actcli diff softmax --range 0 1 --steps 20 --format table")
    assert out.returncode == 2
    assert out.stderr == b"error: --format: 21 columns are too many for a table: use --format csv\n"


def test_empty_stdin():
    out = sh("printf '' | actcli eval gelu")
    assert (out.returncode, out.stdout, out.stderr) == (0, b"x,gelu\n", b"")


def test_bad_stdin_is_one_line_and_exit_1():
    out = sh("printf '1\\nabc\\n3\\n' | actcli eval relu -")
    assert out.returncode == 1
    assert out.stderr == b"error: bad number 'abc' at line 2\n"


@pytest.mark.slow
def test_bad_number_deep_in_a_long_stream(tmp_path):
    """Read ahead in a thread, the error still arrives in order: rows before it, then one line."""
    src = tmp_path / "in.txt"
    src.write_bytes(b"".join(b"%d\n" % i for i in range(600_000)) + b"1..2\n7\n")
    out = sh(f"actcli eval relu < {src}")
    assert out.returncode == 1
    assert out.stderr == b"error: bad number '1..2' at line 600001\n"
    assert out.stdout.count(b"\n") <= 600_001  # whole blocks before the bad one, nothing after


def test_chaining_actcli_into_actcli():
    out = sh("actcli eval relu --range -2 2 -n 5 | actcli diff sigmoid --column relu")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert lines[0] == "x,dsigmoid"
    assert lines[-1] == "2.0," + format_number(float(actcli.get("sigmoid").derivative(2.0)))


@pytest.mark.slow
def test_a_million_lines_row_for_row(tmp_path):
    x = np.random.default_rng(3).standard_normal(1_000_000) * 10
    x[::1000] = np.nan
    src = tmp_path / "in.txt"
    src.write_text("".join(format_number(v) + "\n" for v in x), encoding="utf-8")
    out = sh(f"actcli eval silu < {src}")
    assert out.returncode == 0, out.stderr[-500:]
    lines = out.stdout.decode().splitlines()
    assert lines[0] == "x,silu"
    got = np.array([[float(c) for c in line.split(",")] for line in lines[1:]])
    assert got.shape == (1_000_000, 2)
    np.testing.assert_array_equal(got[:, 0], x)
    np.testing.assert_array_equal(got[:, 1], actcli.get("silu")(x))


@pytest.mark.slow
def test_accuracy_grid_through_the_cli():
    """The core issue's grid, stdin → CSV → compare with the API to the bit."""
    grid = np.concatenate(
        [np.linspace(-40, 40, 2001), np.geomspace(1e-300, 1e6, 301), -np.geomspace(1e-300, 1e6, 301),
         [0.0, -0.0]]
    )  # fmt: skip
    data = "".join(format_number(v) + "\n" for v in grid).encode()
    for name in ("gelu", "mish", "tanh_shrink", "sigmoid"):
        for command in ("eval", "diff"):
            out = sh(f"actcli {command} {name}", data)
            assert out.returncode == 0, out.stderr
            rows = [line.split(",") for line in out.stdout.decode().splitlines()[1:]]
            y = np.array([float(r[1]) for r in rows])
            act = actcli.get(name)
            ref = act(grid) if command == "eval" else act.derivative(grid)
            np.testing.assert_array_equal(y, ref, err_msg=f"{command} {name}")


@pytest.mark.slow
def test_the_script_builds_the_asked_command_and_all_of_them_for_help():
    """main() hands typer only the command asked for; help and mistakes still see them all."""
    top = sh("actcli --help")
    assert top.returncode == 0
    for command in ("list", "eval", "diff", "plot", "compare", "info", "stats", "check"):
        assert f" {command} ".encode() in top.stdout, command
    assert b"--order" in sh("actcli diff --help").stdout
    typo = sh("actcli evl relu 1")
    assert typo.returncode == 2
    assert (
        typo.stderr == b"error: No such command 'evl'. Did you mean 'eval'? (see 'actcli --help')\n"
    )


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_exit_1():
    commands = ("actcli eval relu 1 2 3", "seq 1 100000 | actcli eval relu", "actcli list",
                "actcli eval relu 1 -f table", "actcli stats relu -f table")  # fmt: skip
    for command in commands:
        out = sh(f"export -n PYTHONUNBUFFERED; {command} > /dev/full")  # buffered, as usual
        assert out.returncode == 1, command
        assert out.stderr.count(b"\n") == 1 and b"No space left on device" in out.stderr, command


@pytest.mark.slow
def test_exit_codes_survive_the_fast_exit():
    assert sh("actcli --version").returncode == 0
    assert sh("actcli eval relu --steps 0 --range 0 1").returncode == 2
    assert sh("printf '1\\nabc\\n' | actcli eval relu").returncode == 1


@pytest.mark.slow
def test_ctrl_c_while_input_file_is_a_pipe_that_stays_open(tmp_path):
    """Ctrl-C ends at once while a read is blocked (the reading thread owns the file)."""
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["bash", "-c", f"(printf '1\\n'; sleep 60) > {fifo}"])
    try:
        proc = subprocess.Popen(
            ["actcli", "eval", "relu", "--input", str(fifo)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=ENV,
        )
        time.sleep(1.5)  # it is now blocked reading the pipe
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 130
        assert b"Traceback" not in err
    finally:
        writer.kill()
        writer.wait()


@pytest.mark.slow
def test_stdout_closed_is_not_a_traceback():
    out = sh("actcli --version >&-")  # the version lost is an error, not a success
    assert out.returncode == 1 and b"Traceback" not in out.stderr
    helped = sh("actcli --help > /dev/full")
    assert (helped.returncode, helped.stderr) == (1, b"error: No space left on device\n")


def test_python_dash_m():
    out = subprocess.run(
        [sys.executable, "-m", "actcli", "eval", "relu", "-1"],
        capture_output=True,
        env=ENV,
        check=False,
    )
    assert out.stdout == b"x,relu\n-1.0,0.0\n"


def test_with_stderr_closed_no_message_goes_into_the_data():
    out = sh("actcli eval exponential 100 --dtype float16 2>&-")
    assert (out.returncode, out.stdout) == (0, b"x,exponential\n100.0,inf\n")
    bad = sh("actcli eval relu 1 --dtype float99 2>&-")
    assert bad.returncode == 2 and bad.stdout == b""


@pytest.mark.parametrize(
    "command", ["actcli eval relu 1", "actcli eval --help", "actcli list", "actcli info gelu"]
)
def test_with_stdout_closed_every_command_says_so_and_fails(command):
    out = sh(f"{command} >&-")
    assert out.returncode == 1
    assert out.stderr == b"error: standard output is closed: there is nowhere to write\n"


def test_columns_zero_is_ignored_not_an_empty_table():
    out = subprocess.run(
        ["actcli", "eval", "relu", "1", "2", "--format", "table"],
        capture_output=True,
        env={**ENV, "COLUMNS": "0"},
        check=False,
    )
    assert out.returncode == 0 and "│ 2.0" in out.stdout.decode()
    assert max(len(line) for line in out.stdout.decode().splitlines()) == 80


@pytest.mark.parametrize("command", ["eval", "diff", "check", "plot"])
def test_a_formula_whose_value_is_not_real_is_refused(command, tmp_path):
    extra = {"eval": "-2 1", "diff": "1", "check": "/dev/null", "plot": "--terminal"}[command]
    out = sh(f"cd {tmp_path} && actcli {command} 'x*(-8)**(1/3)' {extra}")
    assert out.returncode == 2 and out.stdout == b""
    assert b"is not real: (-1)**(1/3) is a complex number" in out.stderr


@pytest.mark.slow
@pytest.mark.parametrize(("signal_name", "status"), [("TERM", 143), ("HUP", 129)])
def test_a_signal_while_writing_leaves_no_file_behind(tmp_path, signal_name, status):
    import signal
    import time

    child = subprocess.Popen(
        ["actcli", "eval", "relu", "--range", "0", "1", "--steps", "100000000", "-o", "big.npy"],
        cwd=tmp_path,
        env=ENV,
        stderr=subprocess.PIPE,
    )
    while not any(tmp_path.iterdir()) and child.poll() is None:  # the temporary file is there
        time.sleep(0.05)
    time.sleep(0.3)
    child.send_signal(getattr(signal, f"SIG{signal_name}"))
    _, err = child.communicate(timeout=60)
    assert child.returncode == status and err == b""
    assert list(tmp_path.iterdir()) == []


def test_an_ascii_only_terminal_gets_ascii_spellings():
    out = subprocess.run(
        ["actcli", "info", "gelu"],
        capture_output=True,
        env={**ENV, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert out.returncode == 0 and out.stderr == b""
    text = out.stdout.decode("ascii")  # every byte ASCII
    assert "x*P(x)*e^(-x^2/2)" in text


def test_a_bogus_mplbackend_does_not_stop_a_figure_written_to_a_file(tmp_path):
    out = subprocess.run(
        ["actcli", "plot", "relu", "-o", "r.png"],
        cwd=tmp_path,
        capture_output=True,
        env={**ENV, "MPLBACKEND": "bogus"},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"


def test_an_endless_line_is_refused_at_the_limit_not_read_forever():
    out = sh(
        "yes 1 | head -c 3000000 | tr -d '\\n' | ACTCLI_MAX_LINE_BYTES=1000000 actcli eval relu"
    )
    assert out.returncode == 1 and out.stdout == b""
    assert out.stderr == (
        b"error: standard input: line 1 is longer than 1,000,000 bytes (a row of numbers is far "
        b"shorter; ACTCLI_MAX_LINE_BYTES raises the limit)\n"
    )
