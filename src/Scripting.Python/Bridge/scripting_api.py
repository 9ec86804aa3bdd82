"""What Python plugins see of Scripting's runtime.

Loaded first into the embedded interpreter as the module ``_scripting_api``: ``LineBuilder`` (put in
builtins), the ``influxdb3_local`` proxy and its cache, and the exception classes of InfluxDB 3's processing
engine. Each is a thin proxy: the work is done by the server's one implementation, reached through the
native module ``_scripting``. ``_scripting_host`` (scripting_host.py) loads and runs plugins with it.
"""

import builtins
import datetime

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


def make_local(handle):
    return InfluxDB3Local(handle)


def call_time(seconds):
    """The scheduled instant as upstream passes it: a naive datetime in the server's local time."""
    return datetime.datetime.fromtimestamp(seconds)


builtins.LineBuilder = LineBuilder
_scripting.register(InfluxDBError, InvalidMeasurementError, InvalidKeyError, InvalidLineError, QueryError, PluginInterrupted)
