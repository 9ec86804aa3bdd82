"""The loader and runner half of Scripting's Python runtime.

Loaded once into the embedded interpreter as the module ``_scripting_host``, after ``_scripting_api`` (what
plugins see). It loads plugins (single files compiled once per version and run in a fresh namespace on
every call; directories with ``__init__.py`` imported as packages, evicted on reload), calls their entry
points, turns a request plugin's return value into a response with Flask's rules, makes ``time.sleep``
interruptible so a run's deadline can stop a plugin that sleeps, and refuses the calls that would end the
server's process (``os._exit``, ``os.abort``, signals aimed at it, a recursion limit deep enough to
overflow the thread's stack in C code) instead of the run.
"""

import ast
import builtins
import importlib.util
import json
import os
import posix
import signal
import sys
import time
import traceback


# ENTRY_POINTS, the names of the entry points in order, is set by the runtime before this module runs.


def _defined_names(tree):
    """Entry points a file defines at top level: functions, assignments and imports."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
            if any(a.name == "*" for a in node.names):
                names.update(ENTRY_POINTS)
    return [n for n in ENTRY_POINTS if n in names]


class FilePlugin:
    """A single-file plugin: compiled once per version, executed in a fresh namespace on every call."""

    def __init__(self, path, source):
        self.path = path
        self.code = compile(source, path, "exec", dont_inherit=True)
        self.entry_points = _defined_names(ast.parse(source, path))

    def resolve(self, name):
        namespace = {"__builtins__": builtins, "__file__": self.path}
        exec(self.code, namespace)
        return namespace.get(name)


class _ImportFailed(Exception):
    pass


def _refuse_shadowing(name):
    """A package plugin is imported under its directory's name; it must not replace a real module."""
    loaded = sys.modules.get(name)
    if loaded is not None and not getattr(loaded, "__scripting_plugin__", False):
        where = getattr(loaded, "__file__", None) or "built in"
    elif loaded is None and name.isidentifier():
        spec = importlib.util.find_spec(name)
        where = spec.origin if spec is not None else None
    else:
        where = None
    if where:
        raise _ImportFailed(
            "Failed to import plugin module '%s': a Python module of that name already exists (%s); "
            "rename the plugin directory" % (name, where))


def _evict(name):
    for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[loaded]


class PackagePlugin:
    """A directory with ``__init__.py``, imported as a package named after the directory."""

    def __init__(self, directory, base):
        self.name = os.path.basename(os.path.normpath(directory))
        init = os.path.join(directory, "__init__.py")
        _refuse_shadowing(self.name)
        _evict(self.name)
        importlib.invalidate_caches()
        try:
            spec = importlib.util.spec_from_file_location(self.name, init, submodule_search_locations=[directory])
            module = importlib.util.module_from_spec(spec)
            module.__scripting_plugin__ = True
            sys.modules[self.name] = module
            spec.loader.exec_module(module)
        except BaseException as error:
            _evict(self.name)
            raise _ImportFailed(
                "Failed to import plugin module '%s': %s\nHint: Check for syntax errors or missing dependencies in Python files."
                % (self.name, _position(error, base))) from None
        self.module = module
        self.entry_points = [n for n in ENTRY_POINTS if callable(getattr(module, n, None))]

    def resolve(self, name):
        return getattr(self.module, name, None)


def _position(error, base):
    """file:line:col: Type: message for a syntax error, with the file relative to the plugin directory."""
    if isinstance(error, SyntaxError) and error.filename:
        name = os.path.relpath(error.filename, base) if os.path.isabs(error.filename) else error.filename
        return "%s:%s:%s: %s: %s" % (name, error.lineno, error.offset, type(error).__name__, error.msg)
    return _describe(error)


def load(path, source, base):
    """Loads a plugin: (plugin, entry points, None), or (None, None, message) when it does not load."""
    try:
        plugin = PackagePlugin(path, base) if source is None else FilePlugin(path, source)
        return plugin, plugin.entry_points, None
    except _ImportFailed as failure:
        return None, None, str(failure)
    except BaseException as error:
        return None, None, _position(error, base)


def _describe(error):
    return "%s: %s" % (type(error).__name__, error)


def invoke(plugin, entry_point, arguments):
    """Runs an entry point. Returns (0, result, ""), (1, "Type: message", traceback) or (2, entry_point, "")."""
    try:
        function = plugin.resolve(entry_point)
        if function is None or not callable(function):
            return (2, entry_point, "")
        result = function(*arguments)
        if entry_point == "process_request":
            return (0, response(result), "")
        return (0, None, "")
    except BaseException as error:
        return (1, _describe(error), "".join(traceback.format_exception(error)))


_UNSUPPORTED = ('{"error":"Unsupported return type from Python function"}', 500, (("Content-Type", "application/json"),))


def _body(value):
    if isinstance(value, str):
        return value, "text/html"
    if isinstance(value, (dict, list)):
        return json.dumps(value), "application/json"
    return str(value), "text/plain"


def _headers(content_type, extra):
    headers = {"Content-Type": content_type}
    for name, value in extra.items():
        headers[str(name)] = value if isinstance(value, str) else str(value)
    return tuple(headers.items())


def response(value):
    """A return value as (body, status, headers), with Flask's rules, as InfluxDB 3's request triggers do."""
    flask = getattr(value, "__flask_response__", None)
    if callable(flask) and flask() is True:
        body = value.get_data()
        if not isinstance(body, str):
            raise TypeError("get_data() of a response object must return str, got %s" % type(body).__name__)
        return body, int(value.status_code), _headers("text/html", dict(value.headers or {}))
    if isinstance(value, tuple) and 1 <= len(value) <= 3:
        body, content_type = _body(value[0])
        status, extra = 200, {}
        if len(value) >= 2:
            second = value[1]
            try:
                status = int(second)
            except (TypeError, ValueError):
                if isinstance(second, dict):
                    extra = second
        if len(value) == 3:
            if not isinstance(value[2], dict):
                raise TypeError("expected a dictionary in header item")
            extra = value[2]
        return body, status, _headers(content_type, extra)
    if isinstance(value, str):
        return value, 200, (("Content-Type", "text/html"),)
    if isinstance(value, (dict, list)):
        return json.dumps(value), 200, (("Content-Type", "application/json"),)
    if value is not None and not isinstance(value, (int, float)) and hasattr(value, "__iter__"):
        parts = []
        for item in value:
            if isinstance(item, str):
                parts.append(item)
            elif isinstance(item, (bytes, bytearray)):
                try:
                    parts.append(bytes(item).decode("utf-8"))
                except UnicodeDecodeError:
                    pass
        return "".join(parts), 200, (("Content-Type", "text/html"),)
    return _UNSUPPORTED


_original_sleep = time.sleep


def _interruptible_sleep(seconds):
    """time.sleep in slices, so a run's deadline can interrupt a plugin that sleeps."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        _original_sleep(min(left, 0.05))


time.sleep = _interruptible_sleep


_SERVER_PID = os.getpid()


def _refuse(call, original, why="would end the server's process"):
    """``original``, refused in the server's process; a child it forked (multiprocessing) keeps it."""
    def refused(*args, **kwargs):
        if os.getpid() != _SERVER_PID:
            return original(*args, **kwargs)
        raise RuntimeError("%s %s; a plugin cannot call it (return from the entry point, or raise an "
                           "exception to fail the run)" % (call, why))
    refused.__name__ = getattr(original, "__name__", "refused")
    return refused


def _own_process_group():
    try:
        return os.getpgid(0)
    except OSError:
        return None


_original_kill = os.kill
_original_killpg = os.killpg


def _kill(pid, sig):
    """os.kill, except aimed at the server: its pid, its process group (0 or -group) or every process (-1)."""
    if sig != 0 and os.getpid() == _SERVER_PID and (pid in (_SERVER_PID, 0, -1) or (pid < 0 and -pid == _own_process_group())):
        raise RuntimeError("os.kill(%d, %d) is aimed at the server's own process; a plugin cannot call it" % (pid, sig))
    return _original_kill(pid, sig)


def _killpg(group, sig):
    if sig != 0 and os.getpid() == _SERVER_PID and group in (0, _own_process_group()):
        raise RuntimeError("os.killpg(%d, %d) is aimed at the server's own process group; a plugin cannot call it" % (group, sig))
    return _original_killpg(group, sig)


_original_raise_signal = signal.raise_signal


def _raise_signal(sig):
    if sig == 0 or os.getpid() != _SERVER_PID:
        return _original_raise_signal(sig)
    raise RuntimeError("signal.raise_signal(%d) is aimed at the server's own process; a plugin cannot call it" % sig)


_exit, _abort = os._exit, os.abort
_execs = {name: getattr(os, name) for name in ("execv", "execve", "execl", "execle", "execlp", "execlpe", "execvp", "execvpe") if hasattr(os, name)}
for _module in (os, posix):
    _module._exit = _refuse("os._exit()", _exit)
    _module.abort = _refuse("os.abort()", _abort)
    _module.kill = _kill
    _module.killpg = _killpg
    for _name, _original in _execs.items():
        if hasattr(_module, _name):
            setattr(_module, _name, _refuse("os.%s()" % _name, _original, "would replace the server's process"))

signal.signal = _refuse("signal.signal()", signal.signal, "would replace the server's signal handlers")
signal.raise_signal = _raise_signal
signal.pthread_kill = _refuse("signal.pthread_kill()", signal.pthread_kill, "would signal a thread of the server")
signal.alarm = _refuse("signal.alarm()", signal.alarm, "would end the server's process when the alarm goes off")
signal.setitimer = _refuse("signal.setitimer()", signal.setitimer, "would signal the server's process")

# Python 3.11 counts recursion but does not check the C stack: recursion through C code (a __str__ calling
# str, say) past what the thread's stack holds ends the process. Plugins run on threads whose stack holds
# 12,000 such levels (measured); past this limit, raising it is refused.
MAX_RECURSION_LIMIT = 10000
_original_setrecursionlimit = sys.setrecursionlimit


def _setrecursionlimit(limit):
    if limit > MAX_RECURSION_LIMIT:
        raise ValueError("sys.setrecursionlimit(%d) is over the %d a plugin may set: deeper recursion through C code "
                         "would overflow the server's stack and end its process" % (limit, MAX_RECURSION_LIMIT))
    _original_setrecursionlimit(limit)


sys.setrecursionlimit = _setrecursionlimit
