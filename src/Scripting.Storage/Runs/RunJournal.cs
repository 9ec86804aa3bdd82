using System.IO.MemoryMappedFiles;
using System.Text;
using System.Text.Json;
using Scripting.Core.Triggers;
using Scripting.Storage.Catalog;

namespace Scripting.Storage.Runs;

/// <summary>
/// The run journal in the data dir: <c>runs-in-flight</c>, a small file mapped into memory. A run start
/// and end are one add each on the mapped page, under a lock; the kernel keeps the page when the process dies,
/// however it dies, so the next start reads what was in flight without the journal ever syncing to disk
/// (a power loss forgets it, which only forgets suspicion). Layout: a header (magic, a "running" flag
/// cleared on a clean exit) and 4,096 slots of (64-bit hash of database and trigger, runs in flight),
/// found by open addressing. <c>run-suspects.json</c> keeps the suspects between starts.
/// </summary>
internal sealed unsafe class RunJournal : IRunJournal, IDisposable
{
    private const int Magic = 0x314A5253; // "SRJ1"
    private const int HeaderSize = 64;
    private const int SlotCount = 4096;
    private const int SlotSize = 16;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly string _suspectsPath;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly Dictionary<TriggerKey, int> _slots = [];
    private readonly List<ulong> _leftHashes = [];
    private readonly bool _uncleanBefore;
    private IReadOnlySet<TriggerKey> _suspects;
    private int _disposed;

    public RunJournal(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "runs-in-flight");
        _suspectsPath = Path.Combine(dataDirectory, "run-suspects.json");
        var create = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, create))
        {
            stream.SetLength(HeaderSize + (SlotCount * SlotSize));
        }

        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;

        // What the last process left, read before this one starts using the slots.
        _uncleanBefore = *(int*)_base == Magic && *(int*)(_base + 4) == 1;
        for (var slot = 0; slot < SlotCount; slot++)
        {
            if (_uncleanBefore && *Count(slot) > 0)
            {
                _leftHashes.Add(*Hash(slot));
            }
        }

        new Span<byte>(_base, HeaderSize + (SlotCount * SlotSize)).Clear();
        *(int*)_base = Magic;
        *(int*)(_base + 4) = 1;
        _suspects = File.Exists(_suspectsPath)
            ? JsonSerializer.Deserialize<List<TriggerKey>>(JsonFile.Read(_suspectsPath), Json)!.ToHashSet()
            : new HashSet<TriggerKey>();
    }

    public IReadOnlySet<TriggerKey> Suspects
    {
        get => _suspects;
        set
        {
            _suspects = value;
            JsonFile.Replace(_suspectsPath, value.ToList(), Json);
        }
    }

    public IDisposable Begin(TriggerKey trigger)
    {
        lock (_slots)
        {
            var slot = _disposed == 0 ? SlotOf(trigger) : -1;
            if (slot < 0)
            {
                return Run.None;
            }

            (*Count(slot))++;
            return new Run(this, slot);
        }
    }

    public IReadOnlyList<TriggerKey>? Unfinished(IEnumerable<TriggerKey> triggers) =>
        _uncleanBefore ? triggers.Where(t => _leftHashes.Contains(KeyHash(t))).ToList() : null;

    /// <summary>A clean exit: nothing is in flight, nobody is suspect.</summary>
    public void Dispose()
    {
        // Under the lock: a run abandoned at its deadline may end after this, and must not touch the unmapped page.
        lock (_slots)
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            *(int*)(_base + 4) = 0;
            _view.Flush();
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file.Dispose();
        }

        try
        {
            File.Delete(_suspectsPath);
        }
        catch (DirectoryNotFoundException)
        {
            // The data dir is gone already: nothing is left to suspect.
        }
    }

    /// <summary>The slot of <paramref name="trigger"/>, taken on its first run; under the lock.</summary>
    private int SlotOf(TriggerKey trigger)
    {
        if (_slots.TryGetValue(trigger, out var known))
        {
            return known;
        }

        var hash = KeyHash(trigger);
        for (var probe = 0; probe < SlotCount; probe++)
        {
            var slot = (int)((hash + (ulong)probe) % SlotCount);
            if (*Hash(slot) == 0)
            {
                *Hash(slot) = hash;
            }

            if (*Hash(slot) == hash)
            {
                _slots[trigger] = slot;
                return slot;
            }
        }

        return -1; // more triggers than slots: runs of the others go unjournaled
    }

    private ulong* Hash(int slot) => (ulong*)(_base + HeaderSize + (slot * SlotSize));

    private int* Count(int slot) => (int*)(_base + HeaderSize + (slot * SlotSize) + 8);

    /// <summary>FNV-1a over the UTF-8 of database, a zero byte and name; never 0 (an empty slot).</summary>
    private static ulong KeyHash(TriggerKey trigger)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(trigger.Database + "\0" + trigger.Name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash == 0 ? 1 : hash;
    }

    private sealed class Run(RunJournal? journal, int slot) : IDisposable
    {
        public static readonly Run None = new(null, -1);
        private int _ended;

        public void Dispose()
        {
            if (journal is null || Interlocked.Exchange(ref _ended, 1) != 0)
            {
                return;
            }

            lock (journal._slots)
            {
                if (journal._disposed == 0)
                {
                    (*journal.Count(slot))--;
                }
            }
        }
    }
}
