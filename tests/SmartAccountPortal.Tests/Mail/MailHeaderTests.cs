using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Mail;

/// <summary>Text a partner typed reaches a subject as text: a mail client decodes it once, back to exactly what was typed.</summary>
public sealed class MailHeaderTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("=?utf-8?Q?Hi=0D=0ABcc:_evil@example.com?=")]
    [InlineData("=?iso-8859-1?B?SGVsbG8=?= Contoso")]
    [InlineData("Società Meccanica Müller – Ω ✓ 😀")]
    [InlineData("Plain Contoso Pharmaceuticals")]
    public async Task Subject_WithAccountNameAsTyped_DecodesToThatTextAndAddsNoHeader(string accountName)
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(partner);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var user = await db.Users.SingleAsync(u => u.Email == partner);
            var domain = RequestSteps.NewDomain();
            var request = AccountRequest.Submit(
                ReferenceGenerator.Next(), new RequestDetails(accountName, $"it@{domain}", domain, null, [], null), user,
                Guid.NewGuid().ToString("N"), ActivationTokens.Create().Hash, factory.Clock.GetUtcNow().UtcDateTime, AccountRequest.DefaultExpiresAfter);
            db.Requests.Add(request);
            request.Activate(factory.Clock.GetUtcNow().UtcDateTime);
            await scope.ServiceProvider.GetRequiredService<RequestMailer>().ActivatedAsync(request, new Sender(partner, "Northwind Partners", "en"));
            await db.SaveChangesAsync();
        }

        await factory.SendMailAsync();

        var file = Assert.Single(Directory.GetFiles(factory.MailDirectory, "*.eml"), f => File.ReadAllText(f).Contains(partner, StringComparison.OrdinalIgnoreCase));
        var raw = await File.ReadAllTextAsync(file);
        var headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var mail = EmlFile.Parse(raw);

        Assert.Equal($"Smart Account {accountName} activated by the customer", mail.Subject);
        Assert.DoesNotContain(headers.Split("\r\n"), line => line.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        if (accountName.Contains("=?", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(accountName, headers, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EncodeText_LongText_MakesWordsOfAtMost75Characters()
    {
        var encoded = MailHeaders.EncodeText(string.Concat(Enumerable.Repeat("Società ", 40)));
        Assert.All(encoded.Split(' '), word => Assert.InRange(word.Length, 1, 75));
        Assert.Equal("Plain text", MailHeaders.EncodeText("Plain text"));
        Assert.DoesNotContain('\n', MailHeaders.EncodeText("Line\nbreak"));
    }
}
