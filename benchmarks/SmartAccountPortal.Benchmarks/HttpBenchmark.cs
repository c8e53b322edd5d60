using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;

namespace SmartAccountPortal.Benchmarks;

/// <summary>
/// The published portal as its own process (Production, SQLite, e-mail to a folder) on its own
/// port, filled with many requests, loaded by 16 concurrent clients. Every figure is printed as a
/// ratio to a reference measured in the same run: the pages to the anonymous home page (measured
/// before and after each), cold start and idle memory to an empty ASP.NET Core app. The machine
/// is shared, so read the ratios, not the absolute numbers.
/// </summary>
internal static partial class HttpBenchmark
{
    private const int Clients = 16;
    private const string Password = "Bench-password-2026!";

    public static async Task RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var duration = TimeSpan.FromSeconds(seconds);
        var only = args.Length > 2 ? args[2] : "";
        var work = Path.Combine(Path.GetTempPath(), $"portal-http-benchmark-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var root = RepositoryRoot();
            Console.WriteLine("Publishing the portal and the empty reference app (Release)…");
            var portalDll = await PublishAsync(Path.Combine(root, "src", "SmartAccountPortal", "SmartAccountPortal.csproj"), Path.Combine(work, "portal"), "SmartAccountPortal.dll");
            var emptyDll = await PublishAsync(Path.Combine(root, "benchmarks", "EmptyApp", "EmptyApp.csproj"), Path.Combine(work, "empty"), "EmptyApp.dll");

            var database = Path.Combine(work, "portal.db");
            var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={database}").Options;
            await using (var db = new SqlitePortalDbContext(options))
            {
                await db.Database.MigrateAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            var fill = Stopwatch.StartNew();
            await Fill.RequestsAsync(database, rows);
            SqliteConnection.ClearAllPools();
            Console.WriteLine($"Filled {rows:N0} requests in {fill.Elapsed.TotalSeconds:0.0} s; {Environment.ProcessorCount} cores, {Clients} clients, {seconds:0} s a measurement");

            var environment = PortalEnvironment(work, database);
            await RunToEndAsync(portalDll, ["users", "add", "--email", "bench-support@vendor.example", "--role", "Support"], environment);
            await RunToEndAsync(portalDll, ["users", "add", "--email", "bench-partner@reseller1.example", "--role", "Partner", "--organisation", "Reseller 01 Ltd"], environment);

            // Staff sign in with an authenticator app (Accounts:RequireTwoFactorForStaff), so the
            // support agent gets one, as setting it up on the portal's page would leave it.
            var supportKey = await EnrolAuthenticatorAsync(database, "bench-support@vendor.example");

            var table = new List<string[]>();
            var emptyStart = await StartAsync(emptyDll, new Dictionary<string, string>());
            var emptyMemory = await IdleMemoryAsync(emptyStart.Process);
            await emptyStart.DisposeAsync();

            var portal = await StartAsync(portalDll, environment);
            await using (portal)
            {
                var portalMemory = await IdleMemoryAsync(portal.Process);
                table.Add(["cold start to first 200", $"{portal.FirstResponse.TotalSeconds:0.00} s", "", "", "", $"{portal.FirstResponse / emptyStart.FirstResponse:0.0}× the empty app ({emptyStart.FirstResponse.TotalSeconds:0.00} s)"]);
                table.Add(["idle memory after start", $"{portalMemory / 1024.0 / 1024:0} MiB", "", "", "", $"{(double)portalMemory / emptyMemory:0.00}× the empty app ({emptyMemory / 1024.0 / 1024:0} MiB)"]);

                using var http = Client(portal.BaseAddress);
                await LoadAsync(http, portal.Process, _ => Get("/", null), HttpStatusCode.OK, TimeSpan.FromSeconds(3));
                var support = await SignInAsync(http, "bench-support@vendor.example", supportKey);
                var partner = await SignInAsync(http, "bench-partner@reseller1.example");

                async Task Row(string name, Func<int, HttpRequestMessage> request, HttpStatusCode expected)
                {
                    if (!name.Contains(only, StringComparison.OrdinalIgnoreCase))
                    {
                        return;
                    }

                    var before = await LoadAsync(http, portal.Process, _ => Get("/", null), HttpStatusCode.OK, duration);
                    Console.WriteLine($"  warming up: {name}");
                    var result = await LoadAsync(http, portal.Process, request, expected, duration);
                    var after = await LoadAsync(http, portal.Process, _ => Get("/", null), HttpStatusCode.OK, duration);
                    var home = (before.PerSecond + after.PerSecond) / 2;
                    table.Add([
                        name, $"{result.PerSecond:N0}/s", $"{result.P50:0.0} ms", $"{result.P99:0.0} ms", $"{result.CpuPerRequest:0.00} ms",
                        $"{result.PerSecond / home:P1} of GET / ({home:N0}/s)" + (result.Errors > 0 ? $"; {result.Errors} unexpected answers" : ""),
                    ]);
                    Console.WriteLine($"  measured: {name} (after {result.WarmUp.TotalSeconds:0} s of warm-up)");
                }

                await Row("support search ?q=contoso", _ => Get("/Support?q=contoso", support), HttpStatusCode.OK);
                await Row("support search ?q=MÜLLER (folds accents)", _ => Get("/Support?q=" + Uri.EscapeDataString("MÜLLER"), support), HttpStatusCode.OK);
                await Row("support console, first page", _ => Get("/Support", support), HttpStatusCode.OK);
                await Row("My Requests, first page", _ => Get("/Requests", partner), HttpStatusCode.OK);
                await Row("My Requests search ?q=contoso", _ => Get("/Requests?q=contoso", partner), HttpStatusCode.OK);

                var form = await FormTokenAsync(http, "/Requests/New", partner);
                await Row("submit a request (POST)", _ => Submit(form, partner, $"b{Guid.NewGuid():N}.example"), HttpStatusCode.Redirect);
            }

            Console.WriteLine();
            Print(["what", "rate", "p50", "p99", "CPU each", "ratio"], table);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// ROWS overdue requests (and optionally NAME=VALUE settings for the portal): the portal's background service expiring them all with their
    /// notices and sending those to the pickup folder, against one SQL transaction making the
    /// same rows on a copy of the same file.
    /// </summary>
    public static async Task ExpiryAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var settings = Settings(args);
        var work = Path.Combine(Path.GetTempPath(), $"portal-expiry-benchmark-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var portalDll = await PublishAsync(Path.Combine(RepositoryRoot(), "src", "SmartAccountPortal", "SmartAccountPortal.csproj"), Path.Combine(work, "portal"), "SmartAccountPortal.dll");
            var database = Path.Combine(work, "portal.db");
            var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={database}").Options;
            await using (var db = new SqlitePortalDbContext(options))
            {
                await db.Database.MigrateAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            await Fill.RequestsAsync(database, rows, overdue: true);
            SqliteConnection.ClearAllPools();
            var copy = Path.Combine(work, "reference.db");
            File.Copy(database, copy);

            // The reference: the same state changes, history rows and two notices a request, in one statement each.
            var reference = Stopwatch.StartNew();
            await using (var connection = new SqliteConnection($"Data Source={copy}"))
            {
                await connection.OpenAsync();
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                foreach (var sql in new[]
                {
                    "INSERT INTO RequestEvents (AccountRequestId, Kind, Actor, At, Detail) SELECT Id, 'Expired', 'system', datetime('now'), NULL FROM AccountRequests WHERE Status = 'Pending' AND ExpiresAt <= datetime('now')",
                    "INSERT INTO OutboxMessages (MessageId, Kind, \"To\", Subject, TextBody, HtmlBody, Language, Status, Attempts, CreatedAt, NextAttemptAt, AccountRequestId, Version) " +
                    "SELECT '<' || Id || '-' || k.Kind || '@bench>', k.Kind, CustomerEmail, 'Smart Account request for ' || AccountDomain || ' expired', 'text', '<p>html</p>', 'en', 'Pending', 0, datetime('now'), datetime('now'), Id, 1 " +
                    "FROM AccountRequests, (SELECT 'ExpiredPartner' AS Kind UNION ALL SELECT 'ExpiredCustomer') k WHERE Status = 'Pending' AND ExpiresAt <= datetime('now')",
                    "UPDATE AccountRequests SET Status = 'Expired', ClosedAt = datetime('now'), Version = Version + 1 WHERE Status = 'Pending' AND ExpiresAt <= datetime('now')",
                })
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    await command.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
            }

            var bare = reference.Elapsed;
            SqliteConnection.ClearAllPools();

            var environment = PortalEnvironment(work, database);
            foreach (var (name, value) in settings)
            {
                environment[name] = value;
            }

            var run = Stopwatch.StartNew();
            await using var portal = await StartAsync(portalDll, environment);
            TimeSpan? expired = null;
            while (run.Elapsed < TimeSpan.FromHours(1))
            {
                await Task.Delay(expired is null ? 100 : 500);
                if (expired is null && await ScalarAsync(database, "SELECT COUNT(*) FROM AccountRequests WHERE Status = 'Pending'") == 0)
                {
                    expired = run.Elapsed;
                    Console.WriteLine($"  every request expired after {expired.Value.TotalSeconds:0.0} s; sending the notices…");
                }
                if (expired is not null && await ScalarAsync(database, "SELECT COUNT(*) FROM OutboxMessages WHERE Status = 'Pending'") == 0)
                {
                    break;
                }
            }

            var sent = run.Elapsed;
            var afterStart = expired - portal.FirstResponse;
            Console.WriteLine();
            Print(["what", "time", "ratio"],
            [
                ["one SQL transaction: the state changes, history and notices", $"{bare.TotalSeconds:0.0} s", "1×"],
                [$"the portal: {rows:N0} requests expired with their notices (from start)", $"{expired?.TotalSeconds:0.0} s", $"{expired / bare:0.0}×"],
                [$"the same, less its start-up (first 200 at {portal.FirstResponse.TotalSeconds:0.0} s)", $"{afterStart?.TotalSeconds:0.0} s", $"{afterStart / bare:0.0}×"],
                ["the portal: and every notice sent to the pickup folder", $"{sent.TotalSeconds:0.0} s", $"{sent / bare:0.0}×"],
            ]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// N e-mails due in the outbox, sent by the portal's background service to an SMTP sink
    /// that acknowledges at once and to one that waits 40 ms before each acknowledgement (as an
    /// ordinary server does), each against a bare System.Net.Mail loop sending as many to the same sink.
    /// </summary>
    public static async Task MailAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        var connections = args.Length > 1 ? args[1] : null;
        var work = Path.Combine(Path.GetTempPath(), $"portal-mail-benchmark-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var portalDll = await PublishAsync(Path.Combine(RepositoryRoot(), "src", "SmartAccountPortal", "SmartAccountPortal.csproj"), Path.Combine(work, "portal"), "SmartAccountPortal.dll");
            var table = new List<string[]>();
            foreach (var (name, delay) in new[] { ("a sink that acknowledges at once", TimeSpan.Zero), ("a sink that waits 40 ms to acknowledge", TimeSpan.FromMilliseconds(40)) })
            {
                await using var sink = new Tests.Infrastructure.TestSmtpServer { AckDelay = delay };
                var bare = await BareLoopAsync(sink.Port, count, 1);
                var lanes = connections is null ? 4 : int.Parse(connections, CultureInfo.InvariantCulture);
                var bareLanes = await BareLoopAsync(sink.Port, count, lanes);
                var portal = await PortalSendsAsync(portalDll, work, sink.Port, count, connections);
                table.Add([$"{count:N0} e-mails to {name}: a bare SmtpClient loop", $"{count / bare.TotalSeconds:N0}/s", "", "1×"]);
                table.Add([$"{count:N0} e-mails to {name}: {lanes} bare loops at once", $"{count / bareLanes.TotalSeconds:N0}/s", "", $"{bare / bareLanes:P0} of the loop's rate"]);
                table.Add([$"{count:N0} e-mails to {name}: the portal's outbox", $"{count / portal.Elapsed.TotalSeconds:N0}/s", $"{portal.Cpu.TotalMilliseconds / count:N1} ms", $"{bare / portal.Elapsed:P0} of the loop's rate, {bareLanes / portal.Elapsed:P0} of {lanes} loops'"]);
                Console.WriteLine($"  measured: {name}");
            }

            Console.WriteLine();
            Print(["what", "rate", "portal CPU each", "ratio"], table);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary><paramref name="count"/> e-mails sent by <paramref name="loops"/> bare SmtpClient loops at once, with nothing else around them.</summary>
    private static async Task<TimeSpan> BareLoopAsync(int port, int count, int loops)
    {
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, loops).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                using var client = new System.Net.Mail.SmtpClient("127.0.0.1", port) { EnableSsl = false };
                using var message = new System.Net.Mail.MailMessage("portal@bench.example", $"reader{i}@bench.example", "Benchmark", "A short text.");
                await client.SendMailAsync(message);
            }
        }));

        return watch.Elapsed;
    }

    /// <summary>Starts the portal on a fresh database, adds the e-mails as due, and times until all are sent (and the portal's CPU time meanwhile).</summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> PortalSendsAsync(string portalDll, string work, int port, int count, string? connections)
    {
        var database = Path.Combine(work, $"mail-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={database}").Options;
        await using (var db = new SqlitePortalDbContext(options))
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        var environment = PortalEnvironment(work, database);
        environment["Mail__Smtp__Host"] = "127.0.0.1";
        environment["Mail__Smtp__Port"] = port.ToString(CultureInfo.InvariantCulture);
        environment["Mail__Smtp__EnableSsl"] = "false";
        environment["Background__PollInterval"] = "00:00:00.2";
        if (connections is not null)
        {
            environment["Mail__Smtp__Connections"] = connections;
        }

        await using var portal = await StartAsync(portalDll, environment);

        var watch = Stopwatch.StartNew();
        portal.Process.Refresh();
        var cpu = portal.Process.TotalProcessorTime;
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count) " +
                "INSERT INTO OutboxMessages (MessageId, Kind, \"To\", Subject, TextBody, HtmlBody, Language, Status, Attempts, CreatedAt, NextAttemptAt, Version) " +
                "SELECT '<' || i || '@bench.example>', 'PasswordReset', 'reader' || i || '@bench.example', 'Benchmark', 'A short text.', '<p>A short text.</p>', 'en', 'Pending', 0, datetime('now'), datetime('now', '-1 minute'), 1 FROM n";
            command.Parameters.AddWithValue("$count", count);
            await command.ExecuteNonQueryAsync();
        }

        while (await ScalarAsync(database, "SELECT COUNT(*) FROM OutboxMessages WHERE Status = 'Pending'") > 0)
        {
            await Task.Delay(50);
        }

        var elapsed = watch.Elapsed;
        portal.Process.Refresh();
        return (elapsed, portal.Process.TotalProcessorTime - cpu);
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Cold start to the first 200 and resident memory five idle seconds later, RUNS times each,
    /// alternating the empty app, the portal, and (when NAME=VALUE settings are given) the portal
    /// with them: medians, and ratios to the empty app measured in the same run.
    /// </summary>
    public static async Task StartAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var variant = Settings(args);
        var work = Path.Combine(Path.GetTempPath(), $"portal-start-benchmark-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var root = RepositoryRoot();
            Console.WriteLine("Publishing the portal and the empty reference app (Release)…");
            var portalDll = await PublishAsync(Path.Combine(root, "src", "SmartAccountPortal", "SmartAccountPortal.csproj"), Path.Combine(work, "portal"), "SmartAccountPortal.dll");
            var emptyDll = await PublishAsync(Path.Combine(root, "benchmarks", "EmptyApp", "EmptyApp.csproj"), Path.Combine(work, "empty"), "EmptyApp.dll");
            var database = Path.Combine(work, "portal.db");
            var environment = PortalEnvironment(work, database);

            // A database as a running server has it: migrated, roles made, an account, a few requests.
            var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={database}").Options;
            await using (var db = new SqlitePortalDbContext(options))
            {
                await db.Database.MigrateAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            await Fill.RequestsAsync(database, 1_000);
            SqliteConnection.ClearAllPools();
            await RunToEndAsync(portalDll, ["users", "add", "--email", "bench-partner@reseller1.example", "--role", "Partner", "--organisation", "Reseller 01 Ltd"], environment);

            var candidates = new List<(string Name, string Dll, Dictionary<string, string> Environment)>
            {
                ("empty ASP.NET Core app", emptyDll, new Dictionary<string, string>()),
                ("portal", portalDll, environment),
            };
            if (variant.Count > 0)
            {
                candidates.Add(("portal with " + string.Join(" ", variant.Select(v => $"{v.Key}={v.Value}")), portalDll, new Dictionary<string, string>(environment.Concat(variant))));
            }

            var starts = candidates.ToDictionary(c => c.Name, _ => new List<double>());
            var memory = candidates.ToDictionary(c => c.Name, _ => new List<double>());
            for (var run = 0; run < runs; run++)
            {
                foreach (var (name, dll, settings) in candidates)
                {
                    await using var started = await StartAsync(dll, settings);
                    starts[name].Add(started.FirstResponse.TotalSeconds);
                    memory[name].Add(await IdleMemoryAsync(started.Process) / 1024.0 / 1024);
                }
            }

            static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
            var emptyStart = Median(starts[candidates[0].Name]);
            var emptyMemory = Median(memory[candidates[0].Name]);
            Console.WriteLine();
            Print(["what", "cold start to first 200", "ratio", "idle memory", "ratio"],
                candidates.Select(c => new[]
                {
                    c.Name,
                    $"{Median(starts[c.Name]):0.00} s", $"{Median(starts[c.Name]) / emptyStart:0.0}×",
                    $"{Median(memory[c.Name]):0} MiB", $"{Median(memory[c.Name]) / emptyMemory:0.00}×",
                }).ToList());
            Console.WriteLine($"Medians of {runs} starts each; {Environment.ProcessorCount} cores.");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The NAME=VALUE settings after a benchmark's first argument, as environment variables for the portal.</summary>
    private static Dictionary<string, string> Settings(string[] args) =>
        args.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);

    private static Dictionary<string, string> PortalEnvironment(string work, string database) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__Portal"] = $"Data Source={database}",
        ["Mail__PickupDirectory"] = Path.Combine(work, "mail"),
        ["Portal__PublicBaseUrl"] = "https://portal.bench.example",

        // The portal sits behind a TLS proxy on this machine, as in production: the benchmark is that proxy.
        ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
    };

    private sealed record Result(double PerSecond, double P50, double P99, double CpuPerRequest, int Errors, TimeSpan WarmUp);

    /// <summary>
    /// Sixteen clients, each sending its next request as soon as the last is answered, for the
    /// duration, after the same load has warmed the portal up (<see cref="WarmUpAsync"/>).
    /// </summary>
    private static async Task<Result> LoadAsync(HttpClient http, Process portal, Func<int, HttpRequestMessage> make, HttpStatusCode expected, TimeSpan duration)
    {
        var counter = 0;
        var errors = 0;
        string? first = null;

        async Task<List<double>> Worker(TimeSpan length)
        {
            var times = new List<double>();
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < length)
            {
                using var request = make(Interlocked.Increment(ref counter));
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != expected && Interlocked.Increment(ref errors) == 1)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    var main = body.IndexOf("<main", StringComparison.Ordinal);
                    first = $"{(int)response.StatusCode} {response.Headers.Location}: {Regex.Replace(body[Math.Max(main, 0)..], "<[^>]+>|\\s+", " ")[..Math.Min(400, body.Length)]}";
                }
            }

            return times;
        }

        var warmUp = await WarmUpAsync(portal, () => Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Worker(TimeSpan.FromSeconds(1)))));
        errors = 0;
        portal.Refresh();
        var cpu = portal.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var all = (await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Worker(duration)))).SelectMany(t => t).Order().ToList();
        var elapsed = clock.Elapsed.TotalSeconds;
        portal.Refresh();
        var used = (portal.TotalProcessorTime - cpu).TotalMilliseconds;
        if (first is not null)
        {
            Console.WriteLine($"  {errors} unexpected answers; the first: {first}");
        }

        return new Result(all.Count / elapsed, all[all.Count / 2], all[(int)(all.Count * 0.99)], used / all.Count, errors, warmUp);
    }

    /// <summary>
    /// Runs <paramref name="round"/> (one second of the load) until the runtime has stopped
    /// recompiling the code the load runs, at most 30 s: the measurement is of the portal as it
    /// runs all day, not of its first seconds on a new code path. A new path (the first
    /// submissions, say) makes the runtime's tiered-compilation thread recompile thousands of
    /// methods with optimisations, which on two cores takes 10–15 s under load. Where the
    /// threads' CPU times cannot be read (not Linux), a fixed 10 s. Returns the warm-up's length.
    /// </summary>
    private static async Task<TimeSpan> WarmUpAsync(Process portal, Func<Task> round)
    {
        var watch = Stopwatch.StartNew();
        var compiling = TieredCompilationTicks(portal.Id);
        do
        {
            await round();
            var now = TieredCompilationTicks(portal.Id);
            var used = now is null || compiling is null ? (long?)null
                : now.Sum(t => t.Value - compiling.GetValueOrDefault(t.Key));
            compiling = now;

            // Less than 2 % of a core in the last second (clock ticks are 1/100 s).
            if (used is long ticks ? ticks < 2 : watch.Elapsed >= TimeSpan.FromSeconds(10))
            {
                break;
            }
        }
        while (watch.Elapsed < TimeSpan.FromSeconds(30));

        return watch.Elapsed;
    }

    /// <summary>CPU clock ticks of each of the process's tiered-compilation threads, by thread id; null where /proc cannot be read.</summary>
    private static Dictionary<string, long>? TieredCompilationTicks(int pid)
    {
        try
        {
            var ticks = new Dictionary<string, long>();
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                {
                    // The fields after the name, which may hold spaces: utime and stime are the 12th and 13th.
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks[Path.GetFileName(task)] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }

            return ticks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static HttpRequestMessage Get(string path, string? cookies)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        Proxied(request, cookies);
        return request;
    }

    private static void Proxied(HttpRequestMessage request, string? cookies)
    {
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        if (cookies is not null)
        {
            request.Headers.Add("Cookie", cookies);
        }
    }

    private sealed record Form(string Token, string Cookies);

    private static HttpRequestMessage Submit(Form form, string cookies, string domain)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/Requests/New?handler=Submit")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = form.Token,
                ["Input.AccountName"] = "Benchmark Customer",
                ["Input.CustomerEmail"] = "it@" + domain,
                ["Input.AccountDomain"] = domain,
                ["Input.CustomerLanguage"] = "en",
                ["Input.UserEmails"] = "anna@" + domain,
                ["SubmissionKey"] = Guid.NewGuid().ToString("N").ToUpperInvariant(),
            }),
        };
        Proxied(request, form.Cookies + "; " + cookies);
        return request;
    }

    /// <summary>Gives <paramref name="email"/> an authenticator app and turns two-factor sign-in on; returns the app's key (Base32).</summary>
    private static async Task<string> EnrolAuthenticatorAsync(string database, string email)
    {
        var key = Base32(RandomNumberGenerator.GetBytes(20));
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE AspNetUsers SET TwoFactorEnabled = 1 WHERE NormalizedEmail = $email;
            INSERT INTO AspNetUserTokens (UserId, LoginProvider, Name, Value)
            SELECT Id, '[AspNetUserStore]', 'AuthenticatorKey', $key FROM AspNetUsers WHERE NormalizedEmail = $email;
            """;
        command.Parameters.AddWithValue("$email", email.ToUpperInvariant());
        command.Parameters.AddWithValue("$key", key);
        await command.ExecuteNonQueryAsync();
        return key;
    }

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static string Base32(byte[] bytes)
    {
        var bits = string.Concat(bytes.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        return string.Concat(Enumerable.Range(0, bits.Length / 5).Select(i => Base32Alphabet[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
    }

    /// <summary>The code an authenticator app with <paramref name="base32Key"/> shows now (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits).</summary>
    private static string AuthenticatorCode(string base32Key)
    {
        var bits = string.Concat(base32Key.Select(c => Convert.ToString(Base32Alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        var key = Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();
        var counter = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // Authenticator codes are defined over HMAC-SHA1.
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var value = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff;
        return (value % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Signs in through the sign-in form, and through the code step with <paramref name="authenticatorKey"/>'s
    /// code where the portal asks for one; the cookies the portal set, as one Cookie header.
    /// </summary>
    private static async Task<string> SignInAsync(HttpClient http, string email, string? authenticatorKey = null)
    {
        var form = await FormTokenAsync(http, "/Identity/Account/Login", null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Identity/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = form.Token,
                ["Input.Email"] = email,
                ["Input.Password"] = Password,
            }),
        };
        Proxied(request, form.Cookies);
        using var response = await http.SendAsync(request);
        var cookies = Cookies(response);
        if (response.StatusCode != HttpStatusCode.Redirect || cookies.Length == 0)
        {
            throw new InvalidOperationException($"Signing in {email} answered {(int)response.StatusCode}.");
        }

        if (response.Headers.Location?.OriginalString is not { } next || !next.Contains("/LoginWith2fa", StringComparison.Ordinal))
        {
            return cookies;
        }

        // The code step: its form, then the app's code.
        var codeForm = await FormTokenAsync(http, next, cookies);
        using var code = new HttpRequestMessage(HttpMethod.Post, next)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = codeForm.Token,
                ["Input.Code"] = AuthenticatorCode(authenticatorKey ?? throw new InvalidOperationException($"{email} is asked for a code and has no app.")),
            }),
        };
        Proxied(code, string.Join("; ", new[] { cookies, codeForm.Cookies }.Where(c => c.Length > 0)));
        using var signedIn = await http.SendAsync(code);
        var session = Cookies(signedIn);
        if (signedIn.StatusCode != HttpStatusCode.Redirect || session.Length == 0)
        {
            throw new InvalidOperationException($"The code step for {email} answered {(int)signedIn.StatusCode}.");
        }

        return session;
    }

    private static async Task<Form> FormTokenAsync(HttpClient http, string path, string? cookies)
    {
        using var response = await http.SendAsync(Get(path, cookies));
        var html = await response.Content.ReadAsStringAsync();
        var token = Token().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No form token on {path} ({(int)response.StatusCode}).");
        }

        return new Form(WebUtility.HtmlDecode(token.Groups[1].Value), Cookies(response));
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private static HttpClient Client(Uri address) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = Clients,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };

    private sealed class Running(Process process, Uri baseAddress, TimeSpan firstResponse) : IAsyncDisposable
    {
        public Process Process { get; } = process;

        public Uri BaseAddress { get; } = baseAddress;

        public TimeSpan FirstResponse { get; } = firstResponse;

        public async ValueTask DisposeAsync()
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }

    /// <summary>Starts <c>dotnet app.dll</c> on a free port and times it to its first 200 on "/".</summary>
    private static async Task<Running> StartAsync(string dll, Dictionary<string, string> environment)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = Command(dll, [], environment);
        start.Environment["ASPNETCORE_URLS"] = address.AbsoluteUri;
        var process = new Process { StartInfo = start };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (true)
        {
            if (process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{Path.GetFileName(dll)} did not start:\n{string.Join('\n', output)}");
            }

            try
            {
                using var response = await http.SendAsync(Get(address.AbsoluteUri, null));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new Running(process, address, watch.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Keeps the last lines a process wrote, to say why it stopped.</summary>
    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > 40)
        {
            lines.TryDequeue(out _);
        }
    }

    /// <summary>Resident memory after five idle seconds.</summary>
    private static async Task<long> IdleMemoryAsync(Process process)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        process.Refresh();
        return process.WorkingSet64;
    }

    private static async Task RunToEndAsync(string dll, string[] arguments, Dictionary<string, string> environment)
    {
        var start = Command(dll, arguments, environment);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(Password);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', arguments)} failed:\n{output}");
        }
    }

    private static ProcessStartInfo Command(string dll, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static async Task<string> PublishAsync(string project, string output, string dll)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // As the container image publishes the portal: ReadyToRun for this machine's platform.
        var platform = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "q", "-r", platform, "--self-contained", "false", "-p:PublishReadyToRun=true" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var log = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Publishing {project} failed:\n{log}");
        }

        return Path.Combine(output, dll);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SmartAccountPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from within the repository.");
    }

    private static void Print(string[] headings, List<string[]> rows)
    {
        var widths = headings.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine("| " + string.Join(" | ", headings.Select((h, i) => h.PadRight(widths[i]))) + " |");
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i]))) + " |");
        }
    }
}
