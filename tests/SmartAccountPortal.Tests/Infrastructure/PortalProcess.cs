using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>
/// The portal as an operator runs it: its own process (the built app, `dotnet SmartAccountPortal.dll`),
/// configured only through environment variables, serving HTTPS with a certificate made for the
/// run, with everything it writes to the console captured. Used where the in-process host
/// cannot show the truth: the real console sink, the environment a start-up really picks.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private readonly Process process;

    private PortalProcess(Process process, string directory, int httpsPort, int httpPort)
    {
        this.process = process;
        Directory = directory;
        HttpsPort = httpsPort;
        HttpPort = httpPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public string Directory { get; }

    public int HttpsPort { get; }

    public int HttpPort { get; }

    public Uri BaseAddress => new($"https://127.0.0.1:{HttpsPort}");

    public string MailDirectory => Path.Combine(Directory, "mail");

    /// <summary>Everything the process wrote to standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The folder of the built app, from the same configuration as these tests.</summary>
    public static string AppDirectory
    {
        get
        {
            var testBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var framework = Path.GetFileName(testBin);
            var configuration = Path.GetFileName(Path.GetDirectoryName(testBin)!);
            return Path.Combine(RepositoryRoot, "src", "SmartAccountPortal", "bin", configuration, framework);
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SmartAccountPortal.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
        }
    }

    /// <summary>Environment for a Production run against a fresh SQLite file in <paramref name="directory"/>.</summary>
    public static Dictionary<string, string> ProductionEnvironment(string directory) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(directory, "portal.db")}",
        ["Mail__PickupDirectory"] = Path.Combine(directory, "mail"),
        ["Background__PollInterval"] = "00:00:01",
    };

    /// <summary>Starts `dotnet SmartAccountPortal.dll` and waits until it answers /health.</summary>
    public static async Task<PortalProcess> StartAsync(IDictionary<string, string>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "smart-account-portal-process", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var (httpsPort, httpPort) = (FreePort(), FreePort());
        var certificate = Path.Combine(directory, "localhost.pfx");
        await File.WriteAllBytesAsync(certificate, SelfSignedCertificate());

        var start = Command("dotnet", [Path.Combine(AppDirectory, "SmartAccountPortal.dll")], ProductionEnvironment(directory));
        start.Environment["ASPNETCORE_URLS"] = $"https://127.0.0.1:{httpsPort};http://127.0.0.1:{httpPort}";
        start.Environment["Kestrel__Certificates__Default__Path"] = certificate;
        start.Environment["Kestrel__Certificates__Default__Password"] = "";
        start.Environment["Portal__PublicBaseUrl"] = $"https://127.0.0.1:{httpsPort}";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var portal = new PortalProcess(process, directory, httpsPort, httpPort);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = portal.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal stopped with {process.ExitCode}:\n{portal.Output}");
            }

            try
            {
                using var health = await client.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return portal;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The portal did not answer /health:\n" + portal.Output);
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A client for this process that keeps cookies and does not follow redirects.</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies ?? new CookieContainer(),
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        {
            BaseAddress = BaseAddress,
        };

    /// <summary>Runs the app once as a command (`users add …`), with <paramref name="input"/> on standard input.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IDictionary<string, string> environment, string input, params string[] args)
    {
        var start = Command("dotnet", [Path.Combine(AppDirectory, "SmartAccountPortal.dll"), .. args], environment);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Waits for the e-mail to <paramref name="to"/> whose subject starts with <paramref name="subject"/>.</summary>
    public async Task<SmartAccountPortal.Mail.EmlFile> WaitForMailAsync(string to, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (System.IO.Directory.Exists(MailDirectory))
            {
                var found = System.IO.Directory.GetFiles(MailDirectory, "*.eml")
                    .Select(f => SmartAccountPortal.Mail.EmlFile.Parse(File.ReadAllText(f)))
                    .FirstOrDefault(m => m.To.Contains(to, StringComparison.OrdinalIgnoreCase) && m.Subject.StartsWith(subject, StringComparison.Ordinal));
                if (found is not null)
                {
                    return found;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No e-mail to {to} starting '{subject}'.\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; it is in the temp folder.
        }
    }

    private static ProcessStartInfo Command(string file, string[] args, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing of the test run's own environment decides how the portal starts.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static byte[] SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.Export(X509ContentType.Pfx, "");
    }
}
