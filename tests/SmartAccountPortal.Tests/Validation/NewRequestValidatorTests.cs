using SmartAccountPortal.Workflow;
using SmartAccountPortal.Validation;
using Input = SmartAccountPortal.Workflow.RequestInput;

namespace SmartAccountPortal.Tests.Validation;

public sealed class NewRequestValidatorTests
{
    private static readonly RequestInputValidator Validator = new();

    private static Input Valid() => new()
    {
        AccountName = "Contoso Pharmaceuticals",
        CustomerEmail = "it.lead@contoso.com",
        AccountDomain = "contoso.com",
        NoteToCustomer = "Please accept this week.",
        UserEmails = "a@contoso.com, b@contoso.com",
        NoteToAddedUsers = "Welcome.",
    };

    private static string[] ErrorsFor(Input input, string property) =>
        Validator.Validate(input).Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage).ToArray();

    [Fact]
    public void Validate_CompleteInput_HasNoErrors() => Assert.True(Validator.Validate(Valid()).IsValid);

    [Fact]
    public void Validate_OnlyRequiredFields_HasNoErrors()
    {
        var input = new Input { AccountName = "Contoso", CustomerEmail = "x@contoso.com", AccountDomain = "contoso.com" };
        Assert.True(Validator.Validate(input).IsValid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_AccountNameMissing_SaysEnterIt(string? value)
    {
        var input = Valid();
        input.AccountName = value;
        Assert.Equal(["Enter the account name."], ErrorsFor(input, "AccountName"));
    }

    [Fact]
    public void Validate_AccountNameOf100AfterTrimming_IsAccepted()
    {
        var input = Valid();
        input.AccountName = "  " + new string('a', 100) + "  ";
        Assert.Empty(ErrorsFor(input, "AccountName"));
    }

    [Fact]
    public void Validate_AccountNameOf101_IsTooLong()
    {
        var input = Valid();
        input.AccountName = new string('a', 101);
        Assert.Equal(["The account name can be at most 100 characters."], ErrorsFor(input, "AccountName"));
    }

    [Theory]
    [InlineData("Contoso\tLtd")]
    [InlineData("Contoso\nLtd")]
    [InlineData("Contoso\u0000")]
    [InlineData("Contoso\u007f")]
    public void Validate_AccountNameWithControlCharacter_IsRefused(string value)
    {
        var input = Valid();
        input.AccountName = value;
        Assert.Single(ErrorsFor(input, "AccountName"), m => m.Contains("control characters", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Société Générale Ærø")]
    [InlineData("Müller & Söhne GmbH")]
    [InlineData("株式会社テスト")]
    public void Validate_AccountNameWithAccents_IsAccepted(string value)
    {
        var input = Valid();
        input.AccountName = value;
        Assert.Empty(ErrorsFor(input, "AccountName"));
    }

    [Theory]
    [InlineData(null, "Enter the customer's e-mail address.")]
    [InlineData("  ", "Enter the customer's e-mail address.")]
    [InlineData("not-an-address", "Enter one e-mail address, such as name@example.com.")]
    [InlineData("a@contoso.com, b@contoso.com", "Enter one e-mail address, such as name@example.com.")]
    [InlineData("a@@contoso.com", "Enter one e-mail address, such as name@example.com.")]
    [InlineData("a@contoso", "Enter one e-mail address, such as name@example.com.")]
    [InlineData("\"quoted\"@contoso.com", "Enter one e-mail address, such as name@example.com.")]
    [InlineData("a@contoso.com\r\nBcc: victim@example.com", "Enter one e-mail address, such as name@example.com.")]
    [InlineData("a..b@contoso.com", "Enter one e-mail address, such as name@example.com.")]
    [InlineData("it%40contoso.com", "Enter the address as it is written, such as name@example.com, without %-escapes or =?…?= encoding.")]
    [InlineData("it%2Elead@contoso.com", "Enter the address as it is written, such as name@example.com, without %-escapes or =?…?= encoding.")]
    [InlineData("=?utf-8?Q?it=0D=0ABcc:_x?=@contoso.com", "Enter the address as it is written, such as name@example.com, without %-escapes or =?…?= encoding.")]
    [InlineData("it=lead?@contoso.com", "Enter one e-mail address, such as name@example.com.")]
    [InlineData("it!lead#x@contoso.com", "Enter one e-mail address, such as name@example.com.")]
    public void Validate_CustomerEmailInvalid_SaysWhy(string? value, string message)
    {
        var input = Valid();
        input.CustomerEmail = value;
        Assert.Equal([message], ErrorsFor(input, "CustomerEmail"));
    }

    [Fact]
    public void Validate_CustomerEmailOver254_IsTooLong()
    {
        var input = Valid();
        input.AccountDomain = "contoso.com";
        input.CustomerEmail = new string('a', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 3)) + ".contoso.com";
        Assert.True(input.CustomerEmail.Length > 254);
        Assert.Equal(["The customer's e-mail address can be at most 254 characters."], ErrorsFor(input, "CustomerEmail"));
    }

    [Theory]
    [InlineData("it@contoso.com", "contoso.com")]
    [InlineData("it@EU.Contoso.COM", "contoso.com")]
    [InlineData("it@contoso.com", "CONTOSO.com")]
    public void Validate_CustomerEmailInDomainOrSubdomain_IsAccepted(string email, string domain)
    {
        var input = Valid();
        input.CustomerEmail = email;
        input.AccountDomain = domain;
        Assert.Empty(ErrorsFor(input, "CustomerEmail"));
    }

    [Theory]
    [InlineData("it@fabrikam.com")]
    [InlineData("it@notcontoso.com")]
    [InlineData("it@contoso.com.evil.net")]
    public void Validate_CustomerEmailOutsideDomain_IsRefused(string email)
    {
        var input = Valid();
        input.CustomerEmail = email;
        Assert.Equal(
            ["The customer's e-mail address must be in the account domain (contoso.com) or one of its subdomains."],
            ErrorsFor(input, "CustomerEmail"));
    }

    [Theory]
    [InlineData("contoso")]
    [InlineData("-contoso.com")]
    [InlineData("contoso-.com")]
    [InlineData("contoso.-com")]
    [InlineData("con toso.com")]
    [InlineData("contoso_ltd.com")]
    [InlineData("contoso..com")]
    [InlineData("contoso.com.")]
    [InlineData("http://contoso.com")]
    public void Validate_AccountDomainNotADnsName_IsRefused(string domain)
    {
        var input = Valid();
        input.AccountDomain = domain;
        Assert.Single(ErrorsFor(input, "AccountDomain"), m => m.StartsWith("Enter a domain name such as example.com", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AccountDomainMissing_SaysEnterIt()
    {
        var input = Valid();
        input.AccountDomain = "";
        Assert.Equal(["Enter the account domain, such as example.com."], ErrorsFor(input, "AccountDomain"));
    }

    [Fact]
    public void Validate_AccountDomainLabelOf64_IsRefused()
    {
        var input = Valid();
        input.AccountDomain = new string('a', 64) + ".com";
        Assert.NotEmpty(ErrorsFor(input, "AccountDomain"));
        input.AccountDomain = new string('a', 63) + ".com";
        input.CustomerEmail = "it@" + input.AccountDomain;
        Assert.Empty(ErrorsFor(input, "AccountDomain"));
    }

    [Fact]
    public void Validate_AccountDomainOver253_IsTooLong()
    {
        var input = Valid();
        input.AccountDomain = string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".com";
        Assert.Equal(["The account domain can be at most 253 characters."], ErrorsFor(input, "AccountDomain"));
    }

    [Theory]
    [InlineData("xn--mnchen-3ya.de")]
    [InlineData("eu-west.contoso.co.uk")]
    [InlineData("123.contoso.com")]
    public void Validate_AccountDomainValid_IsAccepted(string domain)
    {
        var input = Valid();
        input.AccountDomain = domain;
        input.CustomerEmail = "it@" + domain;
        Assert.Empty(ErrorsFor(input, "AccountDomain"));
    }

    [Fact]
    public void NormaliseDomain_MixedCase_IsStoredLowerCase() =>
        Assert.Equal("contoso.com", new Input { AccountName = "C", CustomerEmail = "a@contoso.com", AccountDomain = " Contoso.COM " }.ToDetails().AccountDomain);

    [Theory]
    [InlineData("https://www.example.com/", "example.com")]
    [InlineData("http://Example.com:8080/path?q=1#top", "example.com")]
    [InlineData("https://user@shop.example.com/", "shop.example.com")]
    [InlineData("www.example.co.uk", "example.co.uk")]
    [InlineData("example.com.", "example.com")]
    [InlineData("www.com", "www.com")]
    [InlineData("Società-Meccanica.it", "xn--societ-meccanica-2lb.it")]
    [InlineData("https://www.müller.de/kontakt", "xn--mller-kva.de")]
    public void NormaliseDomain_PastedAddressesAndInternationalNames_BecomeTheStoredName(string typed, string stored) =>
        Assert.Equal(stored, SmartAccountPortal.Validation.InputRules.NormaliseDomain(typed));

    [Theory]
    [InlineData("xn--societ-meccanica-2lb.it", "società-meccanica.it")]
    [InlineData("example.com", "example.com")]
    [InlineData("xn--broken--.com", "xn--broken--.com")]
    public void DisplayDomain_ShowsTheNameAsPeopleReadIt(string stored, string shown) =>
        Assert.Equal(shown, SmartAccountPortal.Validation.InputRules.DisplayDomain(stored));

    [Fact]
    public void NormaliseEmail_InternationalDomain_IsStoredInAscii_AndIsInTheAccountDomain()
    {
        var email = SmartAccountPortal.Validation.InputRules.NormaliseEmail(" mario.rossi@Società-Meccanica.it ");
        Assert.Equal("mario.rossi@xn--societ-meccanica-2lb.it", email);
        Assert.True(SmartAccountPortal.Validation.InputRules.IsEmail(email));
        Assert.True(SmartAccountPortal.Validation.InputRules.IsInDomain(email, "xn--societ-meccanica-2lb.it"));
    }

    [Fact]
    public void Validate_UserEmailsWithEverySeparator_AreSplitAndAccepted()
    {
        var input = Valid();
        input.UserEmails = "a@contoso.com,b@contoso.com;c@contoso.com d@contoso.com\ne@contoso.com\r\nf@contoso.com\t g@x.org";
        Assert.Empty(ErrorsFor(input, "UserEmails"));
        Assert.Equal(7, input.ToDetails().UserEmails.Count);
    }

    [Fact]
    public void ToDetails_UserEmailsRepeatedInOtherCase_KeepsTheFirstSpellingOnce()
    {
        var input = Valid();
        input.UserEmails = "Ann@Contoso.com, ann@contoso.com; ANN@CONTOSO.COM, bob@contoso.com";
        Assert.Equal(["Ann@Contoso.com", "bob@contoso.com"], input.ToDetails().UserEmails);
    }

    [Fact]
    public void Validate_UserEmailsWithBadAddresses_NamesEachOne()
    {
        var input = Valid();
        input.UserEmails = "good@contoso.com, bad@, @nope.com, also-bad";
        var message = Assert.Single(ErrorsFor(input, "UserEmails"));
        Assert.Equal("These are not valid e-mail addresses: bad@, @nope.com, also-bad", message);
    }

    [Fact]
    public void Validate_OneBadUserEmail_NamesIt()
    {
        var input = Valid();
        input.UserEmails = "good@contoso.com bad@x";
        Assert.Equal(["This is not a valid e-mail address: bad@x"], ErrorsFor(input, "UserEmails"));
    }

    [Fact]
    public void Validate_50UserEmails_AreAccepted_51AreNot()
    {
        var input = Valid();
        input.UserEmails = string.Join(", ", Enumerable.Range(1, 50).Select(i => $"user{i}@contoso.com"));
        Assert.Empty(ErrorsFor(input, "UserEmails"));

        input.UserEmails += ", user51@contoso.com";
        Assert.Equal(["Enter at most 50 addresses; there are 51."], ErrorsFor(input, "UserEmails"));
    }

    [Fact]
    public void Validate_51UserEmailsThatAreDuplicates_CountOnce()
    {
        var input = Valid();
        input.UserEmails = string.Join(", ", Enumerable.Range(1, 50).Select(i => $"user{i}@contoso.com")) + ", USER1@contoso.com";
        Assert.Empty(ErrorsFor(input, "UserEmails"));
    }

    [Theory]
    [InlineData("NoteToCustomer", "The note to the customer can be at most 1,000 characters.")]
    [InlineData("NoteToAddedUsers", "The note to added users can be at most 1,000 characters.")]
    public void Validate_NoteOf1001_IsTooLong(string property, string message)
    {
        var input = Valid();
        Set(input, property, new string('n', 1001));
        Assert.Equal([message], ErrorsFor(input, property));
        Set(input, property, new string('n', 1000));
        Assert.Empty(ErrorsFor(input, property));
    }

    [Theory]
    [InlineData("NoteToCustomer")]
    [InlineData("NoteToAddedUsers")]
    public void Validate_NoteWithLineBreaks_IsAccepted_ButNotOtherControlCharacters(string property)
    {
        var input = Valid();
        Set(input, property, "Line one\r\nLine two\n\tindented");
        Assert.Empty(ErrorsFor(input, property));
        Set(input, property, "Bell\u0007");
        Assert.Single(ErrorsFor(input, property), m => m.Contains("control characters", StringComparison.Ordinal));
    }

    [Fact]
    public void IsEmail_AllowListIsStrict()
    {
        Assert.True(InputRules.IsEmail("first.last+tag@sub.contoso.com"));
        Assert.False(InputRules.IsEmail("first last@contoso.com"));
        Assert.False(InputRules.IsEmail("a@[127.0.0.1]"));
        Assert.False(InputRules.IsEmail(new string('a', 65) + "@contoso.com"));
        Assert.False(InputRules.IsEmail(".a@contoso.com"));
        Assert.True(InputRules.IsEmail("o'brien_it-ops@contoso.com"));
        Assert.False(InputRules.IsEmail("=?utf-8?B?YQ==?=@contoso.com"));
        Assert.False(InputRules.IsEmail("it%40x@contoso.com"));
        Assert.False(InputRules.IsEmail("a=b@contoso.com"));
    }

    private static void Set(Input input, string property, string value) =>
        typeof(Input).GetProperty(property)!.SetValue(input, value);
}
