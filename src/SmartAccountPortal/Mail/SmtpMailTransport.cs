using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace SmartAccountPortal.Mail;

/// <summary>
/// Sends through System.Net.Mail: SMTP (STARTTLS and authentication when configured), or,
/// with no host, .eml files in the pickup directory for a developer to open.
/// </summary>
internal sealed class SmtpMailTransport(IOptions<MailOptions> options, IHostEnvironment environment) : IMailTransport
{
    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken)
    {
        using var client = CreateClient(options.Value);
        await client.SendMailAsync(message, cancellationToken);
    }

    /// <summary>The absolute pickup folder, created when missing.</summary>
    public static string PickupDirectory(MailOptions mail, IHostEnvironment environment)
    {
        var directory = Path.GetFullPath(Path.Combine(environment.ContentRootPath, mail.PickupDirectory));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private SmtpClient CreateClient(MailOptions mail)
    {
        if (string.IsNullOrWhiteSpace(mail.Smtp.Host))
        {
            return new SmtpClient
            {
                DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
                PickupDirectoryLocation = PickupDirectory(mail, environment),
            };
        }

        var client = new SmtpClient(mail.Smtp.Host, mail.Smtp.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = mail.Smtp.EnableSsl,
            Timeout = mail.Smtp.TimeoutSeconds * 1000,
        };
        if (!string.IsNullOrEmpty(mail.Smtp.UserName))
        {
            client.Credentials = new NetworkCredential(mail.Smtp.UserName, mail.Smtp.Password);
        }

        return client;
    }
}
