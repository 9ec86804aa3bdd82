"""Types of the Scripting (InfluxDB 3 processing engine) plugin API, for editors and type checkers.

Keep this file (and __builtins__.pyi, which makes LineBuilder a builtin for Pyright/Pylance) in the
plugin directory. At run time the server provides these objects; import them only for type checking:

    from typing import TYPE_CHECKING
    if TYPE_CHECKING:
        from influxdb3_plugin import InfluxDB3Local, TableBatch
"""

from datetime import datetime
from typing import Any, Optional, TypedDict, Union

Value = Union[str, int, float, bool, None]
"""A value in a row: tags are str; fields int, float, str or bool; "time" is int nanoseconds."""

Row = dict[str, Value]
"""One written row: its tags, its fields and "time" (int, nanoseconds since the epoch). Absent columns are absent keys."""


class TableBatch(TypedDict):
    """The rows written to one table, as process_writes receives them."""
    table_name: str
    rows: list[Row]


class InfluxDBError(Exception): ...
class InvalidMeasurementError(InfluxDBError): ...
class InvalidKeyError(InfluxDBError): ...
class InvalidLineError(InfluxDBError): ...
class QueryError(InfluxDBError): ...


class LineBuilder:
    """Builds one line of line protocol. Adders return the builder, so calls chain."""
    def __init__(self, measurement: str) -> None:
        """Raises InvalidMeasurementError if the name contains a space."""
    def tag(self, key: str, value: Any) -> "LineBuilder":
        """Adds a tag (the value is converted with str()). Raises InvalidKeyError for an empty key or one with a space, comma or '='."""
    def int64_field(self, key: str, value: int) -> "LineBuilder": ...
    def uint64_field(self, key: str, value: int) -> "LineBuilder":
        """Raises ValueError for a negative value."""
    def float64_field(self, key: str, value: float) -> "LineBuilder": ...
    def string_field(self, key: str, value: Any) -> "LineBuilder": ...
    def bool_field(self, key: str, value: Any) -> "LineBuilder": ...
    def time_ns(self, timestamp_ns: int) -> "LineBuilder":
        """Sets the timestamp (nanoseconds since the epoch); without one the server's time is used."""
    def build(self) -> str:
        """The line. Raises InvalidLineError when no field was added."""


class PluginCache:
    """In-memory values kept between runs: per trigger by default, or global (use_global=True)."""
    def put(self, key: str, value: Any, ttl: Optional[float] = None, use_global: Optional[bool] = None) -> None:
        """Stores value by reference; ttl in seconds (None keeps it)."""
    def get(self, key: str, default: Any = None, use_global: Optional[bool] = None) -> Any:
        """The value, or default when absent or expired."""
    def delete(self, key: str, use_global: Optional[bool] = None) -> bool:
        """Removes the entry; True if it existed."""


class InfluxDB3Local:
    """The influxdb3_local argument of every entry point."""
    def info(self, *args: Any) -> None:
        """Logs at INFO: each argument converted with str(), joined with spaces (system.processing_engine_logs)."""
    def warn(self, *args: Any) -> None: ...
    def error(self, *args: Any) -> None: ...
    def write(self, line: LineBuilder) -> None:
        """Queues a line for the trigger's database; written after the plugin returns, discarded if it raises."""
    def write_to_db(self, db_name: str, line: LineBuilder) -> None:
        """Queues a line for another database (created if missing)."""
    def write_sync(self, line: LineBuilder, no_sync: bool) -> None:
        """Writes a line now; raises if it is rejected."""
    def write_sync_to_db(self, db_name: str, line: LineBuilder, no_sync: bool) -> None: ...
    def query(self, query: str, args: Optional[dict[str, str]] = None, database: Optional[str] = None) -> list[dict[str, Value]]:
        """Runs SQL; $name placeholders are bound from args (str values). Raises QueryError on failure."""
    @property
    def cache(self) -> PluginCache: ...


ResponseValue = Union[str, dict[str, Any], list[Any], tuple[Any, ...]]
"""What process_request may return: str (text/html), dict or list (JSON), or (body, status, headers)."""


def process_writes(influxdb3_local: InfluxDB3Local, table_batches: list[TableBatch], args: Optional[dict[str, str]] = None) -> None: ...
def process_scheduled_call(influxdb3_local: InfluxDB3Local, call_time: datetime, args: Optional[dict[str, str]] = None) -> None: ...
def process_request(influxdb3_local: InfluxDB3Local, query_parameters: dict[str, str], request_headers: dict[str, str],
                    request_body: bytes, args: Optional[dict[str, str]] = None) -> ResponseValue: ...
