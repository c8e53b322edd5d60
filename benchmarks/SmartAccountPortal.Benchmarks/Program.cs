using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SupportSearch = SmartAccountPortal.Pages.Support.IndexModel;
using MyRequests = SmartAccountPortal.Pages.Requests.IndexModel;

// Fills a SQLite database with many requests and times the queries the support console and
// My Requests run, as the pages run them (a count, then one page of 25). Prints medians; it
// is a measurement to read, not a test that passes or fails.
//
//   dotnet run -c Release --project benchmarks/SmartAccountPortal.Benchmarks [-- ROWS [RUNS]]

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var path = Path.Combine(Path.GetTempPath(), $"portal-benchmark-{Guid.NewGuid():N}.db");
var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={path}").Options;

try
{
    await using (var db = new SqlitePortalDbContext(options))
    {
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    var fill = Stopwatch.StartNew();
    var organisations = await FillAsync(path, rows);
    Console.WriteLine($"Filled {rows:N0} requests ({organisations} organisations, 5 partners each) in {fill.Elapsed.TotalSeconds:0.0} s");
    Console.WriteLine($"SQLite file, {Environment.ProcessorCount} cores, {runs} runs each after one warm-up; times in ms");
    Console.WriteLine();
    Console.WriteLine($"{"query",-58} {"median",8} {"p90",8} {"rows",8}");

    await MeasureAsync("support: first page, no search (newest first)", db => Page(SupportSearch.Search(db, null, null, null)));
    await MeasureAsync("support: search \"contoso\" (contains, every field)", db => Page(SupportSearch.Search(db, "contoso", null, null)));
    await MeasureAsync("support: search a partner's e-mail", db => Page(SupportSearch.Search(db, "partner-3-2@", null, null)));
    await MeasureAsync("support: search a whole reference", db => Page(SupportSearch.Search(db, "SA-BENCH042", null, null)));
    await MeasureAsync("support: state Pending, sorted by expiry", db => Page(SupportSearch.Search(db, null, RequestStatus.Pending, "expires")));
    await MeasureAsync("partner: My Requests, first page", db => Page(MyRequests.Query(db, 1, null)));
    await MeasureAsync("partner: My Requests, Pending only", db => Page(MyRequests.Query(db, 1, RequestStatus.Pending)));
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
        // A new context each time, as each web request gets.
        await using var db = new SqlitePortalDbContext(options);
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

// What each list page does: count the matches, then read one page of 25.
static async Task<int> Page<T>(IQueryable<T> query)
{
    var total = await query.CountAsync();
    var page = await query.Take(25).ToListAsync();
    return page.Count > 0 ? total : 0;
}

// Plain parameterised inserts in one transaction: filling is not what is measured.
static async Task<int> FillAsync(string path, int rows)
{
    const int organisations = 20;
    var names = new[] { "Contoso", "Fabrikam", "Northwind", "Adventure Works", "Wingtip", "Litware", "Proseware", "Tailspin", "Woodgrove", "Fourth Coffee" };
    var states = new[] { "Pending", "Pending", "Active", "Active", "Active", "Declined", "Cancelled", "Expired" };
    var random = new Random(42);
    var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    await using var connection = new SqliteConnection($"Data Source={path}");
    await connection.OpenAsync();
    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();

    for (var o = 1; o <= organisations; o++)
    {
        await ExecuteAsync(connection, transaction, "INSERT INTO Organisations (Id, Name) VALUES ($id, $name)", ("$id", o), ("$name", $"Reseller {o:00} Ltd"));
        for (var p = 1; p <= 5; p++)
        {
            var email = $"partner-{o}-{p}@reseller{o}.example";
            await ExecuteAsync(connection, transaction,
                "INSERT INTO AspNetUsers (Id, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount, OrganisationId) " +
                "VALUES ($id, $email, upper($email), $email, upper($email), 1, 0, 0, 1, 0, $org)",
                ("$id", $"u-{o}-{p}"), ("$email", email), ("$org", o));
        }
    }

    await using var insert = connection.CreateCommand();
    insert.Transaction = transaction;
    insert.CommandText =
        "INSERT INTO AccountRequests (Reference, AccountName, CustomerEmail, AccountDomain, NoteToCustomer, UserEmails, NoteToAddedUsers, PartnerUserId, OrganisationId, Status, SubmittedAt, ExpiresAt, ClosedAt, SubmissionKey, ActivationTokenHash, LinkIssuedAt, Version) " +
        "VALUES ($ref, $name, $customer, $domain, NULL, '', NULL, $partner, $org, $status, $submitted, $expires, $closed, $ref, $ref, $submitted, 1)";
    var parameters = new Dictionary<string, SqliteParameter>();
    foreach (var name in "$ref $name $customer $domain $partner $org $status $submitted $expires $closed".Split(' '))
    {
        parameters[name] = insert.Parameters.Add(new SqliteParameter { ParameterName = name });
    }
    for (var i = 0; i < rows; i++)
    {
        var organisation = (i % organisations) + 1;
        var domain = $"{names[i % names.Length].ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal)}-{i}.example";
        var submitted = start.AddMinutes(i * 7);
        var status = states[random.Next(states.Length)];

        // One domain may hold one open request; every row here has its own domain.
        parameters["$ref"].Value = i == 42 ? "SA-BENCH042" : $"SA-{i:X8}";
        parameters["$name"].Value = $"{names[i % names.Length]} {i}";
        parameters["$customer"].Value = $"it@{domain}";
        parameters["$domain"].Value = domain;
        parameters["$partner"].Value = $"u-{organisation}-{(i / organisations % 5) + 1}";
        parameters["$org"].Value = organisation;
        parameters["$status"].Value = status;
        parameters["$submitted"].Value = submitted.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        parameters["$expires"].Value = submitted.AddDays(90).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        parameters["$closed"].Value = status == "Pending" ? DBNull.Value : submitted.AddDays(3).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        await insert.ExecuteNonQueryAsync();
    }

    await transaction.CommitAsync();
    await ExecuteAsync(connection, null, "ANALYZE");
    return organisations;
}

static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] values)
{
    await using var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = sql;
    foreach (var (name, value) in values)
    {
        command.Parameters.AddWithValue(name, value);
    }

    await command.ExecuteNonQueryAsync();
}
