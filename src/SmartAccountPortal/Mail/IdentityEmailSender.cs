using Microsoft.AspNetCore.Identity.UI.Services;

namespace SmartAccountPortal.Mail;

/// <summary>
/// Every account page that would send mail is either the portal's own (forgot password, which
/// writes to the outbox through <see cref="RequestMailer"/>) or switched off. This stands in
/// for the standard UI's sender so that a page overlooked fails loudly instead of silently
/// sending nothing, or sending a link built from the request's Host header.
/// </summary>
internal sealed class IdentityEmailSender : IEmailSender
{
    public Task SendEmailAsync(string email, string subject, string htmlMessage) =>
        throw new NotSupportedException("Account e-mails are written to the outbox by RequestMailer.");
}
