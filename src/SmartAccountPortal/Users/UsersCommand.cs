using Microsoft.AspNetCore.Identity;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Users;

/// <summary>
/// <c>users add --email … --role Partner|Support|Administrator [--organisation …]</c>, and
/// <c>users list</c>, <c>users unlock|deactivate|reactivate --email …</c> for servers where
/// nobody can sign in yet. The password of <c>add</c> is asked for (twice, not echoed) or read
/// from standard input; never taken from the arguments, where it would end up in the shell's
/// history and the process list.
/// </summary>
public static class UsersCommand
{
    public const string Usage =
        "usage: users add --email EMAIL --role Partner|Support|Administrator [--organisation NAME]\n" +
        "       users list\n" +
        "       users unlock|deactivate|reactivate --email EMAIL\n" +
        "The password of add is read from standard input (one line) or asked for.";

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == "users";

    public static async Task<int> RunAsync(
        IServiceProvider services, string[] args, TextReader input, TextWriter output, bool interactive)
    {
        if (args.Length < 2 || !TryParse(args[2..], out var options))
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        switch (args[1])
        {
            case "add":
                return await AddAsync(services, options, input, output, interactive);
            case "list" when options.Count == 0:
                return await ListAsync(services, output);
            case "unlock" or "deactivate" or "reactivate" when options.TryGetValue("email", out var email) && options.Count == 1:
                return await ChangeAsync(services, args[1], email, output);
            default:
                await output.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> AddAsync(IServiceProvider services, Dictionary<string, string> options, TextReader input, TextWriter output, bool interactive)
    {
        if (!options.TryGetValue("email", out var email) || !options.TryGetValue("role", out var role))
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        options.TryGetValue("organisation", out var organisation);
        role = Roles.All.FirstOrDefault(r => r.Equals(role, StringComparison.OrdinalIgnoreCase)) ?? role;

        var password = interactive ? AskPassword(output) : await input.ReadLineAsync();
        if (string.IsNullOrEmpty(password))
        {
            await output.WriteLineAsync("No password given.");
            return 1;
        }

        using var scope = services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var result = await accounts.CreateAsync(email, password, role, organisation);
        if (!await ReportAsync(result, output))
        {
            return 1;
        }

        await output.WriteLineAsync(organisation is null
            ? $"Created {email} ({role})."
            : $"Created {email} ({role}, {organisation.Trim()}).");
        return 0;
    }

    private static async Task<int> ListAsync(IServiceProvider services, TextWriter output)
    {
        using var scope = services.CreateScope();
        var accounts = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ListAsync(CancellationToken.None);
        string[] heading = ["EMAIL", "ROLE", "ORGANISATION", "STATE", "TWO-FACTOR", "LAST SIGN-IN (UTC)"];
        var rows = accounts.Select(a => new[]
        {
            a.Email, a.Role, a.Organisation ?? "-", a.State.ToString().ToLowerInvariant(), a.TwoFactor ? "on" : "off",
            a.LastSignInAt?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "never",
        }).Prepend(heading).ToList();
        var widths = heading.Select((_, i) => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        return 0;
    }

    private static async Task<int> ChangeAsync(IServiceProvider services, string action, string email, TextWriter output)
    {
        using var scope = services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        if (await accounts.FindAsync(email) is not { } person)
        {
            await output.WriteLineAsync($"No account has the address {email.Trim()}.");
            return 1;
        }

        // Recorded in the audit list as done by the users command (no person).
        var result = action switch
        {
            "unlock" => await accounts.UnlockAsync(person, by: null),
            "deactivate" => await accounts.DeactivateAsync(person, by: null),
            _ => await accounts.ReactivateAsync(person, by: null),
        };
        if (!result.Succeeded)
        {
            await output.WriteLineAsync(InEnglish(() => Localization.Texts.Format(result.ProblemKey!, result.Values)));
            return 1;
        }

        await output.WriteLineAsync(action switch
        {
            "unlock" => $"Unlocked {email}.",
            "deactivate" => $"Deactivated {email}: it can no longer sign in, and its open sessions have ended.",
            _ => $"Reactivated {email}.",
        });
        return 0;
    }

    private static string InEnglish(Func<string> text)
    {
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en");
        try
        {
            return text();
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }
    }

    private static async Task<bool> ReportAsync(IdentityResult result, TextWriter output)
    {
        foreach (var error in result.Errors)
        {
            await output.WriteLineAsync(error.Description);
        }

        return result.Succeeded;
    }

    private static bool TryParse(string[] args, out Dictionary<string, string> options)
    {
        options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length || args[i] == "--password")
            {
                return false;
            }

            options[args[i][2..]] = args[i + 1];
        }

        return true;
    }

    private static string? AskPassword(TextWriter output)
    {
        var first = ReadHidden(output, "Password: ");
        var second = ReadHidden(output, "Repeat password: ");
        if (first != second)
        {
            output.WriteLine("The passwords differ.");
            return null;
        }

        return first;
    }

    private static string ReadHidden(TextWriter output, string prompt)
    {
        output.Write(prompt);
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                output.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}

/// <summary>The accounts a newcomer signs in with on a Development machine.</summary>
public static class DevelopmentAccounts
{
    /// <summary>Each account; partner@example.com also administers Northwind Partners (People, API keys).</summary>
    public static readonly IReadOnlyList<(string Email, string Role, string? Organisation, bool Administers)> All =
    [
        ("partner@example.com", Roles.Partner, "Northwind Partners", true),
        ("partner2@example.com", Roles.Partner, "Contoso Resellers", false),
        ("support@example.com", Roles.Support, null, false),
        ("admin@example.com", Roles.Administrator, null, false),
    ];

    public static async Task SeedAsync(IServiceProvider services, string password, ILogger logger)
    {
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var accounts = services.GetRequiredService<UserAccounts>();
        foreach (var (email, role, organisation, administers) in All)
        {
            if (await users.FindByEmailAsync(email) is not null)
            {
                continue;
            }

            var result = await accounts.CreateAsync(email, password, role, organisation);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    $"Could not create {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }

            if (administers)
            {
                var user = (await users.FindByEmailAsync(email))!;
                user.AdministersOrganisation = true;
                await users.UpdateAsync(user);
            }

            Infrastructure.Log.DevelopmentAccountCreated(logger, email, role);
        }
    }
}
