using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Data;
using SmartAccountPortal.Benchmarks;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Workflow;
using SupportSearch = SmartAccountPortal.Pages.Support.IndexModel;
using MyRequests = SmartAccountPortal.Pages.Requests.IndexModel;

// Two measurements to read, not tests that pass or fail:
//
//   dotnet run -c Release --project benchmarks/SmartAccountPortal.Benchmarks -- http [ROWS [SECONDS [ONLY]]]
//     the published portal on its own port, against ROWS requests: pages, search and submissions
//     under 16 concurrent clients, cold start and idle memory, each as a ratio to a reference
//     measured in the same run (see HttpBenchmark.cs); ONLY picks the rows whose name holds it;
//   dotnet run -c Release --project benchmarks/SmartAccountPortal.Benchmarks -- start [RUNS [NAME=VALUE …]]
//     cold start to the first 200 and idle memory of the published portal against an empty
//     ASP.NET Core app, RUNS starts each (medians); with NAME=VALUE, also the portal with those
//     environment settings (a GC setting, say), measured in the same run;
//   dotnet run -c Release --project benchmarks/SmartAccountPortal.Benchmarks -- expiry [ROWS [NAME=VALUE …]]
//     ROWS overdue requests expired (and their notices sent) by the published portal, against one
//     SQL transaction doing the same on a copy of the file;
//   dotnet run -c Release --project benchmarks/SmartAccountPortal.Benchmarks -- mail [N [CONNECTIONS]]
//     N due e-mails sent by the published portal to a fast and to a slow SMTP sink, against a
//     bare SmtpClient loop sending to the same sink;
//   dotnet run -c Release --project benchmarks/SmartAccountPortal.Benchmarks -- queries [ROWS [RUNS]]
//     the queries the support console and My Requests run, in this process, as the pages run
//     them (a count, then one page of 25, each on a context from a pool, as the portal's), in
//     milliseconds.

if (args.Length > 0 && args[0] == "mail")
{
    await HttpBenchmark.MailAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "expiry")
{
    await HttpBenchmark.ExpiryAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "start")
{
    await HttpBenchmark.StartAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "http")
{
    await HttpBenchmark.RunAsync(args[1..]);
    return;
}

args = args.Length > 0 && args[0] == "queries" ? args[1..] : args;

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var path = Path.Combine(Path.GetTempPath(), $"portal-benchmark-{Guid.NewGuid():N}.db");
var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={path}").Options;
await using var pooled = new ServiceCollection()
    .AddDbContextPool<PortalDbContext, SqlitePortalDbContext>(o => o.UseSqlite($"Data Source={path}").UseModel(SmartAccountPortal.Data.CompiledModels.Sqlite.SqlitePortalDbContextModel.Instance))
    .BuildServiceProvider();

try
{
    await using (var db = new SqlitePortalDbContext(options))
    {
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    var fill = Stopwatch.StartNew();
    var organisations = await Fill.RequestsAsync(path, rows);
    Console.WriteLine($"Filled {rows:N0} requests ({organisations} organisations, 5 partners each) in {fill.Elapsed.TotalSeconds:0.0} s");
    Console.WriteLine($"SQLite file, {Environment.ProcessorCount} cores, {runs} runs each after one warm-up; times in ms");
    Console.WriteLine();
    Console.WriteLine($"{"query",-58} {"median",8} {"p90",8} {"rows",8}");

    await MeasureAsync("support: first page, no search (newest first)", db => Page(db, SupportSearch.Search(db, null, null, null), new RequestFilter(null, null, null)));
    var soon = DateTime.UtcNow.AddDays(7);
    await MeasureAsync("support: dashboard, Pending", db => new RequestFilter(null, RequestStatus.Pending, null).CountAsync(db, default));
    await MeasureAsync("support: dashboard, expiring within 7 days", db => new RequestFilter(null, null, null, ExpiringBy: soon).CountAsync(db, default));
    await MeasureAsync("support: dashboard, with a failed e-mail", db => new RequestFilter(null, null, null, FailedMail: true).CountAsync(db, default));
    await MeasureAsync("index alone: count \"contoso\" in RequestSearch", db => Raw(db, "SELECT COUNT(*) FROM RequestSearch WHERE RequestSearch MATCH '\"contoso\"'"));
    await MeasureAsync("index alone: newest 25 ids for \"contoso\"", db => Raw(db, "SELECT COUNT(*) FROM (SELECT rowid FROM RequestSearch WHERE RequestSearch MATCH '\"contoso\"' ORDER BY rowid DESC LIMIT 25)"));
    await MeasureAsync("support: search \"contoso\" (contains, every field)", db => Page(db, new RequestFilter(null, null, "contoso").NewestPage(db, 0, 25)!, new RequestFilter(null, null, "contoso")));
    await MeasureAsync("support: search a partner's e-mail", db => Page(db, new RequestFilter(null, null, "partner-3-2@").NewestPage(db, 0, 25)!, new RequestFilter(null, null, "partner-3-2@")));
    await MeasureAsync("support: search a whole reference", db => Page(db, SupportSearch.Search(db, "SA-BENCH042", null, null), new RequestFilter(null, null, "SA-BENCH042")));
    await MeasureAsync("support: state Pending, sorted by expiry", db => Page(db, SupportSearch.Search(db, null, RequestStatus.Pending, "expires"), new RequestFilter(null, RequestStatus.Pending, null)));
    await MeasureAsync("partner: My Requests, first page", db => Page(db, MyRequests.Query(db, 1, null), new RequestFilter(1, null, null)));
    await MeasureAsync("partner: My Requests, search \"contoso\"", db => Page(db, MyRequests.Query(db, 1, null, "contoso"), new RequestFilter(1, null, "contoso")));
    await MeasureAsync("partner: My Requests, Pending only", db => Page(db, MyRequests.Query(db, 1, RequestStatus.Pending), new RequestFilter(1, RequestStatus.Pending, null)));
}
finally
{
    SqliteConnection.ClearAllPools();
    File.Delete(path);
    File.Delete(path + "-wal");
    File.Delete(path + "-shm");
}

async Task MeasureAsync(string name, Func<PortalDbContext, Task<int>> query)
{
    var times = new List<double>();
    var found = 0;
    for (var i = 0; i <= runs; i++)
    {
        // A context from the pool for each run, as each web request gets one.
        await using var scope = pooled.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var watch = Stopwatch.StartNew();
        found = await query(db);
        if (i > 0)
        {
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    times.Sort();
    Console.WriteLine($"{name,-58} {times[times.Count / 2],8:0.0} {times[(int)(times.Count * 0.9)],8:0.0} {found,8:N0}");
}

// What each list page does: count the matches (as the page counts them), then read one page of 25.
static async Task<int> Page<T>(PortalDbContext db, IQueryable<T> query, RequestFilter? filter = null)
{
    var total = filter is null ? await query.CountAsync() : await filter.CountAsync(db, default);
    var page = await query.Take(25).ToListAsync();
    return page.Count > 0 ? total : 0;
}

static async Task<int> Raw(PortalDbContext db, string sql)
{
    var connection = db.Database.GetDbConnection();
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

