using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Tests.Security;

/// <summary>How an address that carries a secret is written into a log.</summary>
public sealed class SecretPathsTests
{
    [Theory]
    [InlineData("GET /Activation/abcDEF123_-xyz done", "GET /Activation/{token} done")]
    [InlineData("GET https://portal.example/Invitation/abcDEF123_-xyz done", "GET https://portal.example/Invitation/{token} done")]
    [InlineData("/Identity/Account/ResetPassword?code=Q2ZESjhB&x=1", "/Identity/Account/ResetPassword?code={redacted}&x=1")]
    [InlineData("/somewhere?token=abc123", "/somewhere?token={redacted}")]
    [InlineData("/Requests/SA-ABCDEFGH", "/Requests/SA-ABCDEFGH")]
    public void RedactText_HidesTokensAndCodes_AndLeavesTheRest(string text, string expected) =>
        Assert.Equal(expected, SecretPaths.RedactText(text));

    [Theory]
    [InlineData("/Activation/abc", "/Activation/{token}")]
    [InlineData("/activation/abc/more", "/Activation/{token}")]
    [InlineData("/Activation", "/Activation")]
    [InlineData("/Invitation/abc", "/Invitation/{token}")]
    [InlineData("/Requests/New", "/Requests/New")]
    public void Redact_WritesTokenPathsByTheirShape(string path, string expected) =>
        Assert.Equal(expected, SecretPaths.Redact(new Microsoft.AspNetCore.Http.PathString(path)));
}
