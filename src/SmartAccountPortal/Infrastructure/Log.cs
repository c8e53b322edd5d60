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

    [LoggerMessage(4, LogLevel.Error, "Could not send a password reset message")]
    public static partial void PasswordResetNotSent(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Request {Reference} submitted for {Domain}")]
    public static partial void RequestSubmitted(ILogger logger, string reference, string domain);

    [LoggerMessage(6, LogLevel.Information, "Created Development account {Email} ({Role})")]
    public static partial void DevelopmentAccountCreated(ILogger logger, string email, string role);
}
