using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for the tests: MailDev 2.2.1 (installed into tests/tools by the test
/// command), on free loopback ports, read back through its HTTP API.
/// </summary>
public sealed class MailDevServer : IAsyncLifetime, IDisposable
{
    private readonly HttpClient api = new();
    private Process? process;

    public int SmtpPort { get; } = FreePort();

    public int WebPort { get; } = FreePort();

    public Task InitializeAsync() => StartAsync();

    public async Task DisposeAsync()
    {
        await StopAsync();
        Dispose();
    }

    public void Dispose()
    {
        process?.Dispose();
        api.Dispose();
    }

    /// <summary>Starts (or restarts, on the same ports) and waits until the API answers.</summary>
    public async Task StartAsync()
    {
        if (process is { HasExited: false })
        {
            return;
        }

        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--smtp", SmtpPort.ToString(CultureInfo.InvariantCulture), "--web", WebPort.ToString(CultureInfo.InvariantCulture), "--ip", "127.0.0.1", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await api.GetAsync($"http://127.0.0.1:{WebPort}/email");
                if (response.IsSuccessStatusCode && await SmtpAnswersAsync())
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || process.HasExited)
            {
                throw new InvalidOperationException($"MailDev did not start on ports {SmtpPort}/{WebPort}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops the server: SMTP connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    public async Task<IReadOnlyList<ReceivedMail>> MessagesAsync() =>
        await api.GetFromJsonAsync<List<ReceivedMail>>($"http://127.0.0.1:{WebPort}/email") ?? [];

    /// <summary>The messages to <paramref name="address"/>; MailDev files a message a moment after accepting it.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MessagesToAsync(string address, int atLeast = 1)
    {
        for (var i = 0; ; i++)
        {
            var messages = (await MessagesAsync()).Where(m => m.To.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();
            if (messages.Count >= atLeast || i >= 50)
            {
                return messages;
            }

            await Task.Delay(100);
        }
    }

    private async Task<bool> SmtpAnswersAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, SmtpPort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Executable()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "tools", "node_modules", ".bin", "maildev");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("MailDev is not installed: run ./scripts/test.sh, which installs it into tests/tools.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record MailAddressJson([property: JsonPropertyName("address")] string Address, [property: JsonPropertyName("name")] string Name);

public sealed record ReceivedMail(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("html")] string? Html,
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("to")] IReadOnlyList<MailAddressJson> To,
    [property: JsonPropertyName("from")] IReadOnlyList<MailAddressJson> From,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Headers = null)
{
    /// <summary>A header's value as received, by its lower-case name.</summary>
    public string? Header(string name) =>
        Headers is not null && Headers.TryGetValue(name, out var value) ? (value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : value.ToString()) : null;
}

/// <summary>The portal sending through a MailDev server of its own.</summary>
public sealed class SmtpPortalFactory(MailDevServer mailDev) : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Mail:Smtp:Host", "127.0.0.1"),
        new("Mail:Smtp:Port", mailDev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Mail:Smtp:EnableSsl", "false"),
        new("Mail:Smtp:TimeoutSeconds", "5"),
    ];
}

/// <summary>A MailDev server and a portal that sends to it, for one test class.</summary>
public sealed class MailFixture : IAsyncLifetime
{
    public MailDevServer MailDev { get; } = new();

    public SmtpPortalFactory Portal { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await MailDev.InitializeAsync();
        Portal = new SmtpPortalFactory(MailDev);
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await MailDev.DisposeAsync();
    }
}
