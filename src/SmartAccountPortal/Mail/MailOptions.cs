using System.ComponentModel.DataAnnotations;

namespace SmartAccountPortal.Mail;

public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The sender of every message, e.g. "Smart Account Portal &lt;no-reply@example.com&gt;".</summary>
    [Required]
    public string From { get; set; } = "";

    /// <summary>Where .eml files go when no SMTP host is set; relative to the content root.</summary>
    public string PickupDirectory { get; set; } = "App_Data/mail";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Attempts before a message is left Failed for support to retry.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles with each further one (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(2);
}

public sealed class SmtpOptions
{
    /// <summary>When empty, messages are written to the pickup directory instead.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>STARTTLS (or implicit TLS on 465) before authenticating.</summary>
    public bool EnableSsl { get; set; } = true;

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How many messages are sent at once, each over its own connection, so that one slow
    /// server (each message waiting for its acknowledgement) does not cap the rate.
    /// </summary>
    [Range(1, 32)]
    public int Connections { get; set; } = 4;
}
