using System.Net.Mail;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Mail;

/// <summary>
/// Sends the outbox's due messages. Each is first claimed with a lease (owner and time, saved
/// under the row's concurrency token) so two instances never send the same one; it is marked
/// Sent only after the mail server accepted it. Failures wait longer each time (exponential
/// backoff with jitter) and, after the last attempt, leave the message Failed with its error.
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes,
    PortalDbContext db,
    IMailTransport transport,
    RequestMailer mailer,
    TimeProvider clock,
    IOptions<MailOptions> mail,
    IOptions<BackgroundOptions> background,
    WorkerIdentity worker,
    ILogger<OutboxSender> logger)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Sends what is due now (one batch); returns how many messages the mail server accepted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken) => (await SendBatchAsync(cancellationToken)).Done;

    /// <summary>Sends one batch of due messages (Background:BatchSize).</summary>
    public async Task<Background.Batch> SendBatchAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var due = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.Id)
            .Take(background.Value.BatchSize)
            .ToListAsync(cancellationToken);

        // Several lanes at once (Mail:Smtp:Connections), each with its own context and
        // connection; every message is still claimed on its own, so lanes and instances never
        // send the same one. When the server is down, every lane stops taking messages.
        var queue = new System.Collections.Concurrent.ConcurrentQueue<long>(due);
        var sent = 0;
        var serverDown = false;
        var lanes = Math.Min(mail.Value.Smtp.Connections, due.Count);
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(async _ =>
        {
            using var scope = scopes.CreateScope();
            var lane = scope.ServiceProvider.GetRequiredService<OutboxSender>();
            while (!Volatile.Read(ref serverDown) && queue.TryDequeue(out var id))
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (await lane.SendOneAsync(id, cancellationToken))
                {
                    case Outcome.Sent:
                        Interlocked.Increment(ref sent);
                        break;
                    case Outcome.ServerUnavailable:
                        // The server itself is down: the rest of the batch waits for the next tick
                        // instead of spending an attempt each.
                        Volatile.Write(ref serverDown, true);
                        break;
                }
            }
        }));

        return new Background.Batch(sent, Full: !serverDown && due.Count == background.Value.BatchSize);
    }

    /// <summary>Claims one message and, if this lane got it, sends it.</summary>
    private async Task<Outcome> SendOneAsync(long id, CancellationToken cancellationToken) =>
        await ClaimAsync(id, cancellationToken) is { } message ? await SendAsync(message, cancellationToken) : Outcome.NotClaimed;

    private enum Outcome
    {
        NotClaimed,
        Sent,
        Withdrawn,
        Failed,
        ServerUnavailable,
    }

    private async Task<OutboxMessage?> ClaimAsync(long id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var message = await db.OutboxMessages.Include(m => m.Request).SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        var now = Now;
        if (message is null || message.Status != OutboxStatus.Pending || message.NextAttemptAt > now
            || (message.LeaseUntil is not null && message.LeaseUntil >= now))
        {
            return null;
        }

        message.LeaseOwner = worker.Name;
        message.LeaseUntil = now + background.Value.LeaseDuration;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return message;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance claimed it between our read and our write.
            return null;
        }
    }

    private async Task<Outcome> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (IsStaleLink(message))
        {
            Withdraw(message);
            await SaveAsync(message);
            return Outcome.Withdrawn;
        }

        try
        {
            var (text, html) = mailer.Render(message);
            using var outgoing = new MailMessage
            {
                From = new MailAddress(mail.Value.From),
                Subject = MailHeaders.EncodeText(message.Subject),
                SubjectEncoding = Encoding.UTF8,
                Body = text,
                BodyEncoding = Encoding.UTF8,
                IsBodyHtml = false,
            };
            outgoing.To.Add(new MailAddress(message.To));
            outgoing.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(html, Encoding.UTF8, "text/html"));
            outgoing.Headers["Message-ID"] = message.MessageId;
            outgoing.Headers["Content-Language"] = message.Language;
            await transport.SendAsync(outgoing, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await RecordFailureAsync(message, exception);
            return exception is SmtpFailedRecipientException ? Outcome.Failed : Outcome.ServerUnavailable;
        }

        var now = Now;
        message.Status = OutboxStatus.Sent;
        message.SentAt = now;
        message.Attempts++;
        message.LastError = null;
        message.ProtectedLink = null;
        Release(message);
        if (message.AccountRequestId is int requestId)
        {
            db.RequestEvents.Add(RequestEvent.ForRequest(requestId, RequestEventKind.MailSent, RequestEvent.SystemActor, now, MailEvent.Detail(message)));
        }

        await SaveAsync(message);
        Log.MailSent(logger, message.Id, message.Kind.ToString(), message.Attempts);
        return Outcome.Sent;
    }

    private async Task RecordFailureAsync(OutboxMessage message, Exception exception)
    {
        var now = Now;
        message.Attempts++;
        message.LastError = Truncate($"{exception.GetType().Name}: {exception.Message}", 1000);
        Release(message);
        if (message.Attempts >= mail.Value.MaxAttempts)
        {
            message.Status = OutboxStatus.Failed;
            if (message.AccountRequestId is int requestId)
            {
                db.RequestEvents.Add(RequestEvent.ForRequest(requestId, RequestEventKind.MailFailed, RequestEvent.SystemActor, now, MailEvent.Detail(message, message.LastError)));
            }

            Log.MailFailed(logger, exception, message.Id, message.Kind.ToString(), message.Attempts);
        }
        else
        {
            message.NextAttemptAt = now + Backoff(message.Attempts, mail.Value);
            Log.MailRetry(logger, exception, message.Id, message.Kind.ToString(), message.Attempts, message.NextAttemptAt);
        }

        await SaveAsync(message);
    }

    /// <summary>base × 2^(attempts−1), at most the maximum, then ±20 % so many failures do not retry in step.</summary>
    internal static TimeSpan Backoff(int attempts, MailOptions options)
    {
        var exponential = options.RetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    /// <summary>
    /// An activation or reminder whose request has closed, or whose link was replaced by a
    /// newer one, must not go out.
    /// </summary>
    private bool IsStaleLink(OutboxMessage message)
    {
        if (message.Kind is not (MailKind.Activation or MailKind.Reminder) || message.Request is not { } request)
        {
            return false;
        }

        if (!request.IsOpen(Now) || message.ProtectedLink is null)
        {
            return true;
        }

        var token = mailer.LinkOf(message)!.Split('/')[^1];
        return ActivationTokens.Hash(token) != request.ActivationTokenHash;
    }

    internal static void Withdraw(OutboxMessage message)
    {
        message.Status = OutboxStatus.Cancelled;
        message.ProtectedLink = null;
        message.LeaseOwner = null;
        message.LeaseUntil = null;
    }

    private static void Release(OutboxMessage message)
    {
        message.LeaseOwner = null;
        message.LeaseUntil = null;
    }

    private async Task SaveAsync(OutboxMessage message)
    {
        try
        {
            // Not cancellable: once the server has the message, recording that must not be skipped.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Our lease ran out mid-send and another instance took the message over: it may go
            // out twice, recognisable by its Message-ID. At least once, never lost.
            Log.LeaseLost(logger, message.Id);
        }
    }

    /// <summary>Which e-mail this is and to whom, in the reader's language.</summary>
    internal static string Describe(OutboxMessage message) => MailEvent.Describe(message.Kind, message.To);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
