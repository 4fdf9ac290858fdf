using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SocialCrm.LoadTest.Measurement;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.Privacy;

/// <summary>The knobs of the <c>consent-report</c> mode.</summary>
public sealed record ConsentReportSettings(
    Uri Url,
    string BootstrapKey,
    int Customers,
    int ConsentEvery,
    int Batch,
    string? DatabasePath,
    string? PostgresConnectionString,
    int ServerPid,
    TimeSpan RequestTimeout,
    TimeSpan SampleInterval)
{
    public static ConsentReportSettings From(Arguments args)
    {
        var settings = new ConsentReportSettings(
            args.LoopbackUrl("url"),
            args.Text("bootstrap-key"),
            args.Int("customers", 1_000_000, 1, 9_999_999),
            args.Int("consent-every", 10, 0, 1_000_000),
            args.Int("batch", 100_000, 1, 10_000_000),
            args.Text("db", "") is { Length: > 0 } db ? db : null,
            args.Text("postgres", "") is { Length: > 0 } pg ? pg : null,
            args.Int("server-pid", 0, 1, int.MaxValue),
            args.Seconds("request-timeout", 1800, 1, 86_400),
            TimeSpan.FromMilliseconds(args.Int("sample-ms", 10, 1, 10_000)));
        args.RefuseUnknown();
        if ((settings.DatabasePath is null) == (settings.PostgresConnectionString is null))
            throw new UsageException("Name where to seed the customers: --db PATH (the service's SQLite file) or --postgres CONNECTION-STRING.");
        if (settings.PostgresConnectionString is { } cs && !IsLoopbackPostgres(cs))
            throw new UsageException("--postgres must name a server on a loopback address.");
        return settings;
    }

    private static bool IsLoopbackPostgres(string connectionString)
    {
        var host = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Host ?? "";
        return host.Split(',').All(h => h is "localhost" or "::1" || h.StartsWith("127.", StringComparison.Ordinal) || h.StartsWith('/'));
    }
}

/// <summary>
/// Does the consent report stream? A brand with a million customers (seeded straight into the
/// database, some with a marketing record), then <c>GET /consents?purpose=marketing</c> as CSV and as
/// JSON, each read to the end while only counting rows, while the service's resident memory is
/// sampled. A report held in memory would grow the service by hundreds of MiB; a streamed one by little.
/// </summary>
public static class ConsentReportBenchmark
{
    public static async Task<int> RunAsync(ConsentReportSettings settings, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        using var session = await BrandSession.CreateAsync(settings.Url, settings.BootstrapKey, 1, cancellationToken);
        using var untimed = session.CreateUntimedClient();
        var target = settings.DatabasePath is { } file ? $"SQLite file {file}" : "PostgreSQL";
        Console.WriteLine(string.Create(invariant,
            $"consent-report: {settings.Customers} customers seeded into {target} (every {settings.ConsentEvery}th with a marketing record), then GET /consents?purpose=marketing as CSV and as JSON against {settings.Url} (brand {session.BrandId}), service pid {settings.ServerPid}"));

        var seed = settings.DatabasePath is { } db
            ? await CustomerSeeder.SeedSqliteAsync(db, session.BrandId, settings.Customers, settings.ConsentEvery, settings.Batch, cancellationToken)
            : await CustomerSeeder.SeedPostgresAsync(settings.PostgresConnectionString!, session.BrandId, settings.Customers, settings.ConsentEvery,
                cancellationToken);
        Console.WriteLine(string.Create(invariant,
            $"  seeded           {seed.Customers} customers ({seed.Granted} granted, {seed.Withdrawn} withdrawn, {seed.Unknown} without a record) in {seed.Elapsed.TotalSeconds:0.0} s"));
        // Let the service settle (its group-commit writers waited on the seeding's write lock).
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        var path = $"v1/brands/{session.BrandId}/consents?purpose=marketing";
        // Resetting VmHWM for one download hides the earlier peaks from the next reading, so the
        // process's peak before each download is carried here: before the first, its VmHWM since start.
        var csv = await DownloadAsync(untimed, path, "text/csv", ReportFormat.Csv, settings, 0, cancellationToken);
        var json = await DownloadAsync(untimed, path, "application/json", ReportFormat.Json, settings,
            Math.Max(csv.Before.PeakResidentBytes, csv.PeakDuring), cancellationToken);

        var passed = true;
        foreach (var result in new[] { csv, json })
        {
            var ok = result.Matches(seed);
            passed &= ok;
            Console.WriteLine(string.Create(invariant,
                $"  {result.Format,-4}             {result.Rows} rows ({result.Granted} granted, {result.Withdrawn} withdrawn, {result.Unknown} unknown), {result.Bytes / 1048576.0:0.0} MiB in {result.Seconds:0.00} s ({result.Rows / result.Seconds:0} rows/s, first byte after {result.FirstByteSeconds:0.000} s); HTTP {result.Status}{(ok ? "" : "  ** ROWS DO NOT MATCH THE SEED **")}"));
            Console.WriteLine(string.Create(invariant,
                $"                   service memory: VmRSS {MemoryReading.Mib(result.Before.ResidentBytes)} MiB before (the process's peak so far {MemoryReading.Mib(result.Before.PeakResidentBytes)} MiB); peak during {MemoryReading.Mib(result.PeakDuring)} MiB ({result.PeakSource}); delta {MemoryReading.Mib(result.PeakDuring - result.Before.ResidentBytes)} MiB; VmRSS after {MemoryReading.Mib(result.After.ResidentBytes)} MiB"));
        }

        Console.WriteLine(string.Create(invariant,
            $"RESULT mode=consent-report customers={seed.Customers} " +
            $"csv_rows={csv.Rows} csv_s={csv.Seconds:0.00} csv_mib={csv.Bytes / 1048576.0:0.0} csv_rss_before_mib={MemoryReading.Mib(csv.Before.ResidentBytes)} csv_hwm_before_mib={MemoryReading.Mib(csv.Before.PeakResidentBytes)} csv_peak_during_mib={MemoryReading.Mib(csv.PeakDuring)} csv_delta_mib={MemoryReading.Mib(csv.PeakDuring - csv.Before.ResidentBytes)} " +
            $"json_rows={json.Rows} json_s={json.Seconds:0.00} json_mib={json.Bytes / 1048576.0:0.0} json_rss_before_mib={MemoryReading.Mib(json.Before.ResidentBytes)} json_hwm_before_mib={MemoryReading.Mib(json.Before.PeakResidentBytes)} json_peak_during_mib={MemoryReading.Mib(json.PeakDuring)} json_delta_mib={MemoryReading.Mib(json.PeakDuring - json.Before.ResidentBytes)} " +
            $"verification={(passed ? "passed" : "FAILED")}"));
        return passed ? 0 : 1;
    }

    private enum ReportFormat
    {
        Csv,
        Json,
    }

    private sealed record Download(string Format, int Status, long Rows, long Granted, long Withdrawn, long Unknown, long Bytes, double Seconds,
        double FirstByteSeconds, MemoryReading Before, MemoryReading After, long PeakDuring, string PeakSource)
    {
        public bool Matches(SeedReport seed) =>
            Status == 200 && Rows == seed.Customers && Granted == seed.Granted && Withdrawn == seed.Withdrawn && Unknown == seed.Unknown;
    }

    private static async Task<Download> DownloadAsync(HttpClient http, string path, string accept, ReportFormat format,
        ConsentReportSettings settings, long earlierPeak, CancellationToken cancellationToken)
    {
        var reading = MemoryReading.Of(settings.ServerPid) ?? throw new InvalidOperationException($"Cannot read /proc/{settings.ServerPid}/status.");
        var before = reading with { PeakResidentBytes = Math.Max(reading.PeakResidentBytes, earlierPeak) };
        // From here VmHWM is the peak since the reset, i.e. during this download (when the kernel lets us reset it).
        var peakReset = MemoryReading.TryResetPeak(settings.ServerPid);
        await using var sampler = MemorySampler.Start(settings.ServerPid, settings.SampleInterval);

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(settings.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
        await using var body = await response.Content.ReadAsStreamAsync(bounded.Token);
        RowCounter counter = format == ReportFormat.Csv ? new CsvRowCounter() : new JsonRowCounter();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long bytes = 0;
        var firstByte = double.NaN;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(), bounded.Token)) > 0)
            {
                if (bytes == 0) firstByte = Stopwatch.GetElapsedTime(started).TotalSeconds;
                bytes += read;
                counter.Feed(buffer.AsSpan(0, read));
            }
            counter.Finish();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampler.StopAsync();
        var after = MemoryReading.Of(settings.ServerPid) ?? before;

        var sampled = sampler.MaxResidentBytes;
        long peak;
        string source;
        if (peakReset && after.PeakResidentBytes >= sampled)
        {
            peak = after.PeakResidentBytes;
            source = $"VmHWM, reset before the download; {sampler.Samples} VmRSS samples peaked at {MemoryReading.Mib(sampled)} MiB";
        }
        else
        {
            peak = Math.Max(sampled, before.ResidentBytes);
            source = $"highest of {sampler.Samples} VmRSS samples every {settings.SampleInterval.TotalMilliseconds:0} ms" +
                     (peakReset ? "" : "; VmHWM could not be reset");
        }
        if (!response.IsSuccessStatusCode)
            Console.WriteLine($"  ** {format}: HTTP {(int)response.StatusCode} **");
        return new Download(format == ReportFormat.Csv ? "csv" : "json", (int)response.StatusCode, counter.Rows, counter.Granted, counter.Withdrawn,
            counter.Unknown, bytes, seconds, firstByte, before, after, peak, source);
    }

    /// <summary>Counts a report's rows and their statuses from its bytes as they arrive, holding none of it.</summary>
    private abstract class RowCounter
    {
        public long Rows { get; protected set; }

        public long Granted { get; private set; }

        public long Withdrawn { get; private set; }

        public long Unknown { get; private set; }

        public abstract void Feed(ReadOnlySpan<byte> chunk);

        public virtual void Finish()
        {
        }

        protected void CountStatus(ReadOnlySpan<byte> status)
        {
            if (status.SequenceEqual("granted"u8)) Granted++;
            else if (status.SequenceEqual("withdrawn"u8)) Withdrawn++;
            else if (status.SequenceEqual("unknown"u8)) Unknown++;
        }
    }

    /// <summary>RFC 4180: a line break inside quotes is data; the first line is the header; the third field is the status.</summary>
    private sealed class CsvRowCounter : RowCounter
    {
        private const int StatusField = 2;
        private bool _inQuotes;
        private bool _header = true;
        private bool _lineOpen;
        private int _field;
        private readonly byte[] _status = new byte[16];
        private int _statusLength;

        public override void Feed(ReadOnlySpan<byte> chunk)
        {
            foreach (var b in chunk)
            {
                if (b == (byte)'"')
                {
                    _inQuotes = !_inQuotes;
                    _lineOpen = true;
                    continue;
                }
                if (_inQuotes)
                {
                    Keep(b);
                    continue;
                }
                switch (b)
                {
                    case (byte)',':
                        _field++;
                        _lineOpen = true;
                        break;
                    case (byte)'\n':
                        EndLine();
                        break;
                    case (byte)'\r':
                        break;
                    default:
                        Keep(b);
                        _lineOpen = true;
                        break;
                }
            }
        }

        public override void Finish()
        {
            if (_lineOpen) EndLine();
        }

        private void Keep(byte b)
        {
            if (_field == StatusField && _statusLength < _status.Length) _status[_statusLength++] = b;
        }

        private void EndLine()
        {
            if (_header) _header = false;
            else
            {
                Rows++;
                CountStatus(_status.AsSpan(0, _statusLength));
            }
            _field = 0;
            _statusLength = 0;
            _lineOpen = false;
        }
    }

    /// <summary>A streaming <see cref="Utf8JsonReader"/> over the chunks: each object directly inside the top-level array is a row.</summary>
    private sealed class JsonRowCounter : RowCounter
    {
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 64 });
        private byte[] _pending = new byte[128 * 1024];
        private int _pendingLength;
        private bool _nextIsStatus;

        public override void Feed(ReadOnlySpan<byte> chunk) => Read(chunk, isFinalBlock: false);

        public override void Finish() => Read([], isFinalBlock: true);

        private void Read(ReadOnlySpan<byte> chunk, bool isFinalBlock)
        {
            // What the last read could not finish (a token cut by the chunk's end), then the new bytes.
            if (_pendingLength + chunk.Length > _pending.Length) Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + chunk.Length));
            chunk.CopyTo(_pending.AsSpan(_pendingLength));
            var data = _pending.AsSpan(0, _pendingLength + chunk.Length);
            var reader = new Utf8JsonReader(data, isFinalBlock, _state);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject when reader.CurrentDepth == 1:
                        Rows++;
                        break;
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 2:
                        _nextIsStatus = reader.ValueTextEquals("status"u8);
                        break;
                    case JsonTokenType.String when _nextIsStatus:
                        CountStatus(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                        _nextIsStatus = false;
                        break;
                    default:
                        _nextIsStatus = false;
                        break;
                }
            }
            _state = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            data[consumed..].CopyTo(_pending);
            _pendingLength = data.Length - consumed;
        }
    }
}
