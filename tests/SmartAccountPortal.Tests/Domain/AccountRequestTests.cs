using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Tests.Domain;

public sealed class AccountRequestTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static AccountRequest Pending() => AccountRequest.Submit(
        ReferenceGenerator.Next(),
        new RequestDetails("Contoso", "it@contoso.com", "contoso.com", null, ["a@contoso.com"], null),
        new PortalUser { Id = "partner-1", Email = "partner@example.com", OrganisationId = 7 },
        "KEY",
        "HASH",
        Now,
        AccountRequest.DefaultExpiresAfter);

    [Fact]
    public void Submit_NewRequest_IsPendingFor90DaysWithASubmittedEvent()
    {
        var request = Pending();
        Assert.Equal(RequestStatus.Pending, request.Status);
        Assert.Equal(Now.AddDays(90), request.ExpiresAt);
        Assert.Equal(7, request.OrganisationId);
        var submitted = Assert.Single(request.Events);
        Assert.Equal(RequestEventKind.Submitted, submitted.Kind);
        Assert.Equal("partner@example.com", submitted.Actor);
        Assert.Equal(Now, submitted.At);
    }

    [Fact]
    public void Submit_PartnerWithoutOrganisation_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => AccountRequest.Submit(
            "SA-X", new RequestDetails("C", "a@c.com", "c.com", null, [], null), new PortalUser { Id = "u" }, "K", "H", Now, TimeSpan.FromDays(1)));

    [Fact]
    public void Activate_Pending_BecomesActiveAndRecordsIt()
    {
        var request = Pending();
        request.Activate(Now.AddDays(1));
        Assert.Equal(RequestStatus.Active, request.Status);
        Assert.Equal(Now.AddDays(1), request.ClosedAt);
        Assert.Equal([RequestEventKind.Submitted, RequestEventKind.Activated], request.Events.Select(e => e.Kind));
    }

    [Fact]
    public void Activate_AfterExpiryTime_IsRefusedEvenBeforeItIsMarkedExpired()
    {
        var request = Pending();
        var error = Assert.Throws<InvalidTransitionException>(() => request.Activate(Now.AddDays(90)));
        Assert.Equal(RequestStatus.Expired, error.From);
        Assert.Equal(RequestStatus.Pending, request.Status);
    }

    [Fact]
    public void Expire_BeforeItsTime_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => Pending().Expire(Now.AddDays(89)));

    [Fact]
    public void Expire_AtItsTime_BecomesExpired()
    {
        var request = Pending();
        request.Expire(Now.AddDays(90));
        Assert.Equal(RequestStatus.Expired, request.Status);
        Assert.Equal("system", request.Events[^1].Actor);
    }

    [Fact]
    public void EveryTransition_FromAClosedState_IsRefused()
    {
        var request = Pending();
        request.Decline(Now, "Not now");
        Assert.Equal("Not now", request.Events[^1].Detail);
        Assert.Throws<InvalidTransitionException>(() => request.Activate(Now));
        Assert.Throws<InvalidTransitionException>(() => request.Decline(Now, null));
        Assert.Throws<InvalidTransitionException>(() => request.Cancel("partner@example.com", Now, null));
        Assert.Throws<InvalidTransitionException>(() => request.Expire(Now.AddDays(100)));
        Assert.Equal(2, request.Events.Count);
    }

    [Fact]
    public void Reference_LooksLikeSAAndEightUnambiguousCharacters()
    {
        var references = Enumerable.Range(0, 2000).Select(_ => ReferenceGenerator.Next()).ToList();
        Assert.All(references, r => Assert.Matches("^SA-[2-9A-HJKMNP-TV-Z]{8}$", r));
        Assert.Equal(references.Count, references.Distinct().Count());
    }
}
