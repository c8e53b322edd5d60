using System.Net.Mail;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Mail;

/// <summary>
/// The outbox's e-mail channel: writes the messages queued unwritten (expiry's notices), holds
/// back an activation link that is no longer valid, and hands each message to the mail server.
/// A sent message's secret link is erased and the request's history notes it; one that failed
/// every attempt is noted there too, and the partner's systems hear of it (<c>request.mail_failed</c>).
/// </summary>
public sealed class MailChannel(
    PortalDbContext db,
    IMailTransport transport,
    RequestMailer mailer,
    WebhookPublisher webhooks,
    TimeProvider clock,
    IOptions<MailOptions> mail) : IOutboxChannel
{
    public OutboxChannel Channel => OutboxChannel.Mail;

    public int Connections => mail.Value.Smtp.Connections;

    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(mail.Value.Smtp.TimeoutSeconds);

    public RetryPolicy Retry => new(mail.Value.MaxAttempts, mail.Value.RetryBaseDelay, mail.Value.RetryMaxDelay);

    public async Task PrepareAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        // The requests, for the stale-link check (tracked: EF Core sets each message's Request).
        var requestIds = items.Where(m => m.AccountRequestId is not null).Select(m => m.AccountRequestId!.Value).Distinct().ToList();
        if (requestIds.Count > 0)
        {
            // With the partner and organisation too when a message is still to be written from them.
            var requests = db.Requests.Where(r => requestIds.Contains(r.Id));
            if (items.OfType<OutboxMessage>().Any(m => !m.IsWritten))
            {
                requests = requests.Include(r => r.PartnerUser).Include(r => r.Organisation);
            }

            await requests.LoadAsync(cancellationToken);
        }
    }

    public async Task<Attempt> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var message = (OutboxMessage)item;
        try
        {
            if (IsStaleLink(message))
            {
                Withdraw(message);
                return Attempt.Withdrawn;
            }

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
            return Attempt.Sent;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A refused recipient, or a link that cannot be read (its key lost), is this message's
            // problem; anything else, the server's.
            var error = $"{exception.GetType().Name}: {exception.Message}";
            return exception is SmtpFailedRecipientException or System.Security.Cryptography.CryptographicException ? Attempt.Failed(error) : Attempt.Down(error);
        }
    }

    public void Sent(OutboxItem item, DateTime now)
    {
        var message = (OutboxMessage)item;
        message.ProtectedLink = null;
        if (message.AccountRequestId is int requestId)
        {
            db.RequestEvents.Add(RequestEvent.ForRequest(requestId, RequestEventKind.MailSent, RequestEvent.SystemActor, now, MailEvent.Detail(message)));
        }
    }

    public async Task FailedAsync(OutboxItem item, bool final, DateTime now, CancellationToken cancellationToken)
    {
        var message = (OutboxMessage)item;
        if (!final || message.AccountRequestId is not int requestId)
        {
            return;
        }

        db.RequestEvents.Add(RequestEvent.ForRequest(requestId, RequestEventKind.MailFailed, RequestEvent.SystemActor, now, MailEvent.Detail(message, message.LastError)));
        if (message.Request is { } request)
        {
            await webhooks.PublishAsync(request, WebhookEvent.MailFailed, cancellationToken, new FailedEmail(message.Kind.ToString().ToLowerInvariant(), message.To, message.Attempts, MailFailure.AddressRefused(message)));
        }
    }

    public Task SavingAsync(DateTime now, CancellationToken cancellationToken) => Task.CompletedTask;

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

        if (!request.IsOpen(clock.GetUtcNow().UtcDateTime) || message.ProtectedLink is null)
        {
            return true;
        }

        var token = mailer.LinkOf(message)!.Split('/')[^1];
        return ActivationTokens.Hash(token) != request.ActivationTokenHash;
    }

    /// <summary>A message no longer wanted: never sent, its secret link erased.</summary>
    internal static void Withdraw(OutboxMessage message)
    {
        message.Status = OutboxStatus.Cancelled;
        message.ProtectedLink = null;
        message.LeaseOwner = null;
        message.LeaseUntil = null;
    }
}
