using System.Net.Mail;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;

namespace SmartAccountPortal.Mail;

/// <summary>The account pages' messages (password reset) through the portal's transport.</summary>
internal sealed class IdentityEmailSender(IMailTransport transport, IOptions<MailOptions> options) : IEmailSender
{
    public async Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        using var message = new MailMessage(options.Value.From, email)
        {
            Subject = subject,
            Body = htmlMessage,
            IsBodyHtml = true,
        };
        await transport.SendAsync(message, CancellationToken.None);
    }
}
