"""The Python half of Scripting's plugin runtime.

Loaded once into the embedded interpreter as the module ``_scripting_host``. It defines what plugins see
(``LineBuilder`` in builtins, the ``influxdb3_local`` proxy, the exception classes of InfluxDB 3's
processing engine), loads plugins (single files compiled once per version and run in a fresh namespace
on every call; directories with ``__init__.py`` imported as packages, evicted on reload) and turns a
request plugin's return value into a response with Flask's rules. Everything the server does is a call
into the native module ``_scripting``, which the .NET side provides.
"""

import ast
import builtins
import datetime
import importlib.util
import json
import os
import sys
import time
import traceback

import _scripting


class InfluxDBError(Exception):
    """Base of the errors the plugin API raises."""


class InvalidMeasurementError(InfluxDBError):
    pass


class InvalidKeyError(InfluxDBError):
    pass


class InvalidLineError(InfluxDBError):
    pass


class QueryError(InfluxDBError):
    pass


class PluginInterrupted(BaseException):
    """Raised inside a run that passed its deadline or whose trigger stopped.

    A BaseException, so ``except Exception`` in a plugin does not swallow it.
    """


ENTRY_POINTS = ("process_writes", "process_scheduled_call", "process_request")
_FIELD_INT, _FIELD_UINT, _FIELD_FLOAT, _FIELD_STRING, _FIELD_BOOL = range(5)


def _key(key):
    return key if type(key) is str else str(key)


class LineBuilder:
    """Builds one line of line protocol; ``build()`` is formatted by the server's one implementation."""

    __slots__ = ("_h",)

    def __init__(self, measurement):
        self._h = 0
        self._h = _scripting.lb_new(str(measurement))

    def __del__(self):
        if self._h:
            _scripting.lb_free(self._h)

    def tag(self, key, value):
        _scripting.lb_tag(self._h, _key(key), str(value))
        return self

    def int64_field(self, key, value):
        _scripting.lb_field(self._h, _FIELD_INT, _key(key), int(value))
        return self

    def uint64_field(self, key, value):
        _scripting.lb_field(self._h, _FIELD_UINT, _key(key), int(value))
        return self

    def float64_field(self, key, value):
        _scripting.lb_field(self._h, _FIELD_FLOAT, _key(key), float(value))
        return self

    def string_field(self, key, value):
        _scripting.lb_field(self._h, _FIELD_STRING, _key(key), str(value))
        return self

    def bool_field(self, key, value):
        _scripting.lb_field(self._h, _FIELD_BOOL, _key(key), bool(value))
        return self

    def time_ns(self, timestamp_ns):
        _scripting.lb_time(self._h, int(timestamp_ns))
        return self

    def build(self):
        return _scripting.lb_build(self._h)

    def __repr__(self):
        try:
            return "LineBuilder(%r)" % self.build()
        except InfluxDBError:
            return "LineBuilder(<incomplete>)"


class PluginCache:
    """``influxdb3_local.cache``: values are kept by reference, per trigger or global."""

    __slots__ = ("_h",)

    def __init__(self, handle):
        self._h = handle

    def put(self, key, value, ttl=None, use_global=None):
        if ttl is not None:
            ttl = float(ttl)
            if ttl != ttl or ttl < 0 or ttl == float("inf"):
                raise ValueError("ttl must be a non-negative, finite number of seconds, got %r" % ttl)
        _scripting.cache_put(self._h, str(key), value, ttl, bool(use_global))

    def get(self, key, default=None, use_global=None):
        return _scripting.cache_get(self._h, str(key), default, bool(use_global))

    def delete(self, key, use_global=None):
        return _scripting.cache_delete(self._h, str(key), bool(use_global))


class InfluxDB3Local:
    """The ``influxdb3_local`` object: a thin proxy onto the server's one implementation."""

    __slots__ = ("_h", "_cache")

    def __init__(self, handle):
        self._h = handle
        self._cache = PluginCache(handle)

    def info(self, *args):
        _scripting.log(self._h, 0, " ".join([str(a) for a in args]))

    def warn(self, *args):
        _scripting.log(self._h, 1, " ".join([str(a) for a in args]))

    def error(self, *args):
        _scripting.log(self._h, 2, " ".join([str(a) for a in args]))

    def write(self, line):
        _scripting.write(self._h, None, line.build())

    def write_to_db(self, db_name, line):
        _scripting.write(self._h, str(db_name), line.build())

    def write_sync(self, line, no_sync):
        _scripting.write_sync(self._h, None, line.build(), bool(no_sync))

    def write_sync_to_db(self, db_name, line, no_sync):
        _scripting.write_sync(self._h, str(db_name), line.build(), bool(no_sync))

    def query(self, query, args=None, database=None):
        if args is not None:
            if not isinstance(args, dict):
                raise TypeError("query args must be a dict of str to str, got %s" % type(args).__name__)
            for name, value in args.items():
                if not isinstance(name, str) or not isinstance(value, str):
                    raise TypeError("query parameter %r must be a str, got %s" % (name, type(value).__name__))
        return _scripting.query(self._h, str(query), args, None if database is None else str(database))

    @property
    def cache(self):
        return self._cache


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


def make_local(handle):
    return InfluxDB3Local(handle)


def call_time(seconds):
    """The scheduled instant as upstream passes it: a naive datetime in the server's local time."""
    return datetime.datetime.fromtimestamp(seconds)


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
    """A return value as (body, status, headers), with Flask's rules (reference 2.3)."""
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
builtins.LineBuilder = LineBuilder
_scripting.register(InfluxDBError, InvalidMeasurementError, InvalidKeyError, InvalidLineError, QueryError, PluginInterrupted)
