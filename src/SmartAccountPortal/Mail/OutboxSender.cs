using System.Net.Mail;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Mail;

/// <summary>
/// Sends the outbox's due messages, writing first those queued unwritten (expiry's notices). They are claimed a few at a time with a lease (owner and
/// time, and a new concurrency token) in one statement, so two instances never send the same
/// one; each is marked Sent only after the mail server accepted it, and what a claim's messages
/// came to is saved together. Failures wait longer each time (exponential backoff with jitter)
/// and, after the last attempt, leave the message Failed with its error.
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
    /// <summary>
    /// How many messages one claim takes at most: small enough that a crash resends little (at
    /// least once, with the same Message-ID) and that results are on record soon even from a slow
    /// server; large enough that claiming and recording cost one write each for several sends.
    /// </summary>
    internal const int MessagesPerClaim = 10;

    /// <summary>
    /// A claim must be done within its lease even if every message takes the whole SMTP timeout
    /// (else another instance would take it over and send again): with the defaults (5 minutes,
    /// 30 s) five messages a claim.
    /// </summary>
    private int MostPerClaim => (int)Math.Clamp(
        background.Value.LeaseDuration.TotalSeconds / (2.0 * Math.Max(1, mail.Value.Smtp.TimeoutSeconds)), 1, MessagesPerClaim);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Sends what is due now (one batch); returns how many messages the mail server accepted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken) => (await SendBatchAsync(cancellationToken)).Done;

    /// <summary>Sends one batch (Background:BatchSize) of due messages.</summary>
    public async Task<Background.Batch> SendBatchAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var due = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt) // the claim's order; a limit without one is logged as a warning
            .Select(m => m.Id)
            .Take(background.Value.BatchSize)
            .CountAsync(cancellationToken);
        if (due == 0)
        {
            return new Background.Batch(0, Full: false);
        }

        // Several lanes at once (Mail:Smtp:Connections), each with its own context and
        // connection, claiming its own messages until the batch is used up or nothing is due.
        // When the server is down, every lane stops taking messages.
        var budget = background.Value.BatchSize;
        var claimed = 0;
        var sent = 0;
        var serverDown = false;
        // A few messages are spread over the lanes too, so a slow server gets them all at once.
        var lanes = Math.Min(mail.Value.Smtp.Connections, due);
        var perClaim = Math.Clamp((due + lanes - 1) / lanes, 1, MostPerClaim);
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(async _ =>
        {
            using var scope = scopes.CreateScope();
            var lane = ActivatorUtilities.CreateInstance<OutboxSender>(scope.ServiceProvider, worker);
            while (!Volatile.Read(ref serverDown) && Take(ref budget, perClaim) is var take and > 0)
            {
                var result = await lane.SendClaimAsync(take, cancellationToken);
                Interlocked.Add(ref claimed, result.Claimed);
                Interlocked.Add(ref sent, result.Sent);
                if (result.ServerDown)
                {
                    // The rest of the batch waits for the next tick instead of spending an attempt each.
                    Volatile.Write(ref serverDown, true);
                }

                if (result.Claimed < take)
                {
                    break;
                }
            }
        }));

        return new Background.Batch(sent, Full: !serverDown && claimed == background.Value.BatchSize);
    }

    /// <summary>Takes up to <paramref name="most"/> from a budget shared by the lanes.</summary>
    private static int Take(ref int budget, int most)
    {
        while (true)
        {
            var left = Volatile.Read(ref budget);
            var take = Math.Min(left, most);
            if (take <= 0 || Interlocked.CompareExchange(ref budget, left - take, left) == left)
            {
                return Math.Max(take, 0);
            }
        }
    }

    private readonly record struct ClaimResult(int Claimed, int Sent, bool ServerDown);

    /// <summary>
    /// Claims up to <paramref name="take"/> messages, sends them one after the other, and saves
    /// what became of each in one transaction. When the server turns out to be down, or the
    /// work is cancelled, the messages not yet tried are released at once for the next tick.
    /// </summary>
    private async Task<ClaimResult> SendClaimAsync(int take, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = Now;
        var messages = await db.ClaimDueMessagesAsync(worker.Name, now, now + background.Value.LeaseDuration, take, cancellationToken);
        if (messages.Count == 0)
        {
            return default;
        }

        // The requests, for the stale-link check (tracked: EF Core sets each message's Request).
        var requestIds = messages.Where(m => m.AccountRequestId is not null).Select(m => m.AccountRequestId!.Value).Distinct().ToList();
        if (requestIds.Count > 0)
        {
            // With the partner and organisation too when a message is still to be written from them.
            var requests = db.Requests.Where(r => requestIds.Contains(r.Id));
            if (messages.Any(m => !m.IsWritten))
            {
                requests = requests.Include(r => r.PartnerUser).Include(r => r.Organisation);
            }

            await requests.LoadAsync(cancellationToken);
        }

        var sent = new List<OutboxMessage>();
        var serverDown = false;
        var tried = 0;
        try
        {
            foreach (var message in messages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var outcome = await SendAsync(message, cancellationToken);
                tried++;
                if (outcome == Outcome.Sent)
                {
                    sent.Add(message);
                }
                else if (outcome == Outcome.ServerUnavailable)
                {
                    serverDown = true;
                    break;
                }
            }
        }
        finally
        {
            // Not tried, or cancelled while being sent (it may have arrived: sending it again is
            // at least once, recognisable by its Message-ID).
            foreach (var untried in messages.Skip(tried))
            {
                Release(untried);
            }

            await SaveAsync();
        }

        foreach (var message in sent)
        {
            Log.MailSent(logger, message.Id, message.Kind.ToString(), message.Attempts);
        }

        return new ClaimResult(messages.Count, sent.Count, serverDown);
    }

    private enum Outcome
    {
        Sent,
        Withdrawn,
        Failed,
        ServerUnavailable,
    }

    private async Task<Outcome> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (IsStaleLink(message))
        {
            Withdraw(message);
            return Outcome.Withdrawn;
        }

        try
        {
            if (!message.IsWritten)
            {
                await mailer.WriteAsync(message, message.Request!);
            }

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
            RecordFailure(message, exception);
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

        return Outcome.Sent;
    }

    private void RecordFailure(OutboxMessage message, Exception exception)
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

    /// <summary>Saves what became of a claim's messages, in one transaction.</summary>
    private async Task SaveAsync()
    {
        while (true)
        {
            try
            {
                // Not cancellable: once the server has a message, recording that must not be skipped.
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (DbUpdateConcurrencyException conflict)
            {
                // Our lease ran out mid-send and another instance took a message over: it may go
                // out twice, recognisable by its Message-ID (at least once, never lost). That
                // message is the other instance's now; the rest of the claim is saved.
                foreach (var entry in conflict.Entries)
                {
                    if (entry.Entity is OutboxMessage message)
                    {
                        Log.LeaseLost(logger, message.Id);
                    }

                    entry.State = EntityState.Detached;
                }
            }
        }
    }

    /// <summary>Which e-mail this is and to whom, in the reader's language.</summary>
    internal static string Describe(OutboxMessage message) => MailEvent.Describe(message.Kind, message.To);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
