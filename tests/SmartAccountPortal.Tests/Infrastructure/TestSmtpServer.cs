using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>
/// A small SMTP server on a loopback port, for what MailDev cannot show: it acknowledges each
/// message only after <see cref="AckDelay"/> (as an ordinary server does), counts how many
/// connections are open at once, and can start refusing messages partway through a batch.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private int open;
    private int maxOpen;
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

    /// <summary>The Message-ID of every message accepted, once per acceptance.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>The most connections that were open at the same time.</summary>
    public int MaxConcurrentConnections => Volatile.Read(ref maxOpen);

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
        var now = Interlocked.Increment(ref open);
        int seen;
        while (now > (seen = Volatile.Read(ref maxOpen)) && Interlocked.CompareExchange(ref maxOpen, now, seen) != seen)
        {
        }

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
                            var messageId = "";
                            while (await reader.ReadLineAsync(stopping.Token) is { } data && data != ".")
                            {
                                if (data.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
                                {
                                    messageId = data["Message-ID:".Length..].Trim();
                                }
                            }

                            await Task.Delay(AckDelay, stopping.Token);
                            if (Interlocked.Increment(ref accepted) > (RefuseAfter ?? int.MaxValue))
                            {
                                Interlocked.Decrement(ref accepted);
                                await writer.WriteLineAsync("421 test.example closing, try later");
                                return;
                            }

                            Received.Enqueue(messageId);
                            await writer.WriteLineAsync("250 queued");
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
        finally
        {
            Interlocked.Decrement(ref open);
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
