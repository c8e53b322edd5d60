namespace SmartAccountPortal.Infrastructure;

/// <summary>The portal's log messages, generated at compile time (no boxing, no parsing per call).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    public static partial void HttpRequest(ILogger logger, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(2, LogLevel.Information, "User signed in")]
    public static partial void SignedIn(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "Sign-in refused: account locked out")]
    public static partial void LockedOut(ILogger logger);

    [LoggerMessage(5, LogLevel.Information, "Request {Reference} submitted for {Domain}")]
    public static partial void RequestSubmitted(ILogger logger, string reference, string domain);

    [LoggerMessage(6, LogLevel.Information, "Created Development account {Email} ({Role})")]
    public static partial void DevelopmentAccountCreated(ILogger logger, string email, string role);

    [LoggerMessage(10, LogLevel.Information, "Outbox item {ItemId} ({Channel}) sent on attempt {Attempts}")]
    public static partial void OutboxSent(ILogger logger, long itemId, string channel, int attempts);

    [LoggerMessage(11, LogLevel.Warning, "Outbox item {ItemId} ({Channel}) failed on attempt {Attempts}; next try at {NextAttemptAt:O}: {Error}")]
    public static partial void OutboxRetry(ILogger logger, long itemId, string channel, int attempts, DateTime nextAttemptAt, string error);

    [LoggerMessage(12, LogLevel.Error, "Outbox item {ItemId} ({Channel}) failed on attempt {Attempts}, the last one: left Failed: {Error}")]
    public static partial void OutboxFailed(ILogger logger, long itemId, string channel, int attempts, string error);

    [LoggerMessage(13, LogLevel.Warning, "Outbox item {ItemId}: the lease ran out while sending and another instance took it over")]
    public static partial void LeaseLost(ILogger logger, long itemId);

    [LoggerMessage(19, LogLevel.Warning, "Webhook endpoint {EndpointId} paused after {Failures} failed deliveries in a row")]
    public static partial void WebhookEndpointPaused(ILogger logger, int endpointId, int failures);

    [LoggerMessage(14, LogLevel.Information, "Request {Reference} expired")]
    public static partial void RequestExpired(ILogger logger, string reference);

    [LoggerMessage(15, LogLevel.Error, "Background tick failed; the next one tries again")]
    public static partial void BackgroundTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Information, "Request {Reference} {Outcome} by the customer")]
    public static partial void CustomerAnswered(ILogger logger, string reference, string outcome);

    [LoggerMessage(17, LogLevel.Information, "Invitation {InvitationId} accepted ({Role})")]
    public static partial void InvitationAccepted(ILogger logger, int invitationId, string role);

    [LoggerMessage(18, LogLevel.Information, "Invitation {InvitationId} {Action} ({Role})")]
    public static partial void InvitationChanged(ILogger logger, int invitationId, string action, string role);
}
