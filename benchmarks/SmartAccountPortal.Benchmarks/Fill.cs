using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SmartAccountPortal.Benchmarks;

/// <summary>Many requests in a SQLite file: 20 organisations of 5 partners, names and domains from ten companies.</summary>
internal static class Fill
{
    // Plain parameterised inserts in one transaction: filling is not what is measured.
    // The newest request is from today; a request still Pending is less than 80 days old, so
    // the portal's background service finds nothing to expire while it is measured.
    // With overdue set, every request is Pending and past its expiry: work for the background service.
    public static async Task<int> RequestsAsync(string path, int rows, bool overdue = false)
    {
        const int organisations = 20;
        var names = new[] { "Contoso", "Fabrikam", "Northwind", "Adventure Works", "Wingtip", "Litware", "Proseware", "Tailspin", "Woodgrove", "Fourth Coffee", "Müller Maschinenbau", "Società Meccanica" };
        var states = new[] { "Pending", "Pending", "Active", "Active", "Active", "Declined", "Cancelled", "Expired" };
        var random = new Random(42);
        var start = DateTime.UtcNow.Date.AddMinutes(-7.0 * rows);

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
            var domain = $"{Slug(names[i % names.Length])}-{i}.example";
            var submitted = start.AddMinutes(i * 7);
            var status = overdue ? "Pending" : states[random.Next(states.Length)];
            if (overdue)
            {
                submitted = DateTime.UtcNow.AddDays(-91).AddMinutes(-i * 0.01);
            }
            else if (status == "Pending" && submitted < DateTime.UtcNow.AddDays(-80))
            {
                status = "Expired";
            }

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

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] values)
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

    private static string Slug(string name) =>
        new(name.ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetterOrDigit).ToArray());
}
