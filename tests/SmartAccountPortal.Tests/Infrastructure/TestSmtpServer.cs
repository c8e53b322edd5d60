using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>
/// A small SMTP server on a loopback port, for what MailDev cannot show: it acknowledges each
/// message only after <see cref="AckDelay"/> (as an ordinary server does), counts how many
/// messages it receives at once, can start refusing messages partway through a batch, and can
/// refuse a recipient.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private int inFlight;
    private int maxInFlight;
    private int accepted;

    public TestSmtpServer()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public TimeSpan AckDelay { get; set; }

    /// <summary>After this many accepted messages in all, every further one is answered "421" and the connection closed.</summary>
    public int? RefuseAfter { get; set; }

    /// <summary>Recipients the server answers "550 user unknown", as a customer's server does for an address it does not have.</summary>
    public Func<string, bool> RefuseRecipient { get; set; } = _ => false;

    /// <summary>The Message-ID of every message accepted, once per acceptance.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>
    /// The most messages that were being received at the same time (from DATA to the answer),
    /// each necessarily on its own connection. Counted per message rather than per open socket,
    /// so a connection still closing as the next one opens does not count twice.
    /// </summary>
    public int MaxConcurrentMessages => Volatile.Read(ref maxInFlight);

    /// <summary>
    /// Starts counting <see cref="MaxConcurrentMessages"/> afresh once no message is being
    /// received, so that one a client abandoned in an earlier test (stopped mid-send) is not
    /// counted with the next test's.
    /// </summary>
    public async Task ResetMaxConcurrentMessagesAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref inFlight) > 0)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("A message is still being received after 30 s.");
            }

            await Task.Delay(20);
        }

        Volatile.Write(ref maxInFlight, 0);
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Answers go out at once (no Nagle delay), as a real server's do.
            client.NoDelay = true;
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            await using (var stream = client.GetStream())
            {
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 test.example ESMTP");
                while (await reader.ReadLineAsync(stopping.Token) is { } line)
                {
                    var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (command)
                    {
                        case "EHLO":
                        case "HELO":
                            await writer.WriteLineAsync("250 test.example");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                            var now = Interlocked.Increment(ref inFlight);
                            int seen;
                            while (now > (seen = Volatile.Read(ref maxInFlight)) && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen)
                            {
                            }

                            var messageId = "";
                            try
                            {
                                while (await reader.ReadLineAsync(stopping.Token) is { } data && data != ".")
                                {
                                    if (data.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
                                    {
                                        messageId = data["Message-ID:".Length..].Trim();
                                    }
                                }

                                await Task.Delay(AckDelay, stopping.Token);
                            }
                            finally
                            {
                                Interlocked.Decrement(ref inFlight);
                            }

                            if (Interlocked.Increment(ref accepted) > (RefuseAfter ?? int.MaxValue))
                            {
                                Interlocked.Decrement(ref accepted);
                                await writer.WriteLineAsync("421 test.example closing, try later");
                                return;
                            }

                            Received.Enqueue(messageId);
                            await writer.WriteLineAsync("250 queued");
                            break;
                        case "RCPT" when RefuseRecipient(line):
                            await writer.WriteLineAsync("550 5.1.1 Recipient address rejected: User unknown");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 ok");
                            break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}
