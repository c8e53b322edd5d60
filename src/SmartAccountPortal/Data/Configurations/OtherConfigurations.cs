using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Data.Configurations;

internal sealed class RequestEventConfiguration : IEntityTypeConfiguration<RequestEvent>
{
    public void Configure(EntityTypeBuilder<RequestEvent> builder)
    {
        builder.ToTable("RequestEvents");
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Actor).HasMaxLength(256).IsRequired();
        builder.Property(e => e.Detail).HasMaxLength(2000);
        builder.HasIndex(e => new { e.AccountRequestId, e.At });
    }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.ToTable("Organisations");
        builder.Property(o => o.Name).HasMaxLength(200).IsRequired();
        builder.HasIndex(o => o.Name).IsUnique();
    }
}

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> builder)
    {
        builder.HasOne(u => u.Organisation).WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(u => u.PreferredLanguage).HasMaxLength(16).IsUnicode(false);
        builder.Property(u => u.TimeZone).HasMaxLength(64).IsUnicode(false);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("DataProtectionKeys");
        builder.Property(k => k.FriendlyName).HasMaxLength(256);
        builder.Property(k => k.Xml).IsRequired();
    }
}

internal sealed class HealthProbeConfiguration : IEntityTypeConfiguration<Infrastructure.HealthProbe>
{
    public void Configure(EntityTypeBuilder<Infrastructure.HealthProbe> builder) => builder.ToTable("HealthProbes");
}

internal sealed class SignInFailureConfiguration : IEntityTypeConfiguration<Users.SignInFailure>
{
    public void Configure(EntityTypeBuilder<Users.SignInFailure> builder)
    {
        builder.ToTable("SignInFailures");
        builder.HasKey(f => f.AddressHash);
        builder.Property(f => f.AddressHash).HasMaxLength(64).IsUnicode(false);
        builder.HasIndex(f => f.LastFailureAt);
    }
}

internal sealed class RequestDraftConfiguration : IEntityTypeConfiguration<RequestDraft>
{
    public void Configure(EntityTypeBuilder<RequestDraft> builder)
    {
        builder.ToTable("RequestDrafts");
        builder.HasKey(d => d.SubmissionKey);
        builder.Property(d => d.SubmissionKey).HasMaxLength(32).IsUnicode(false);
        builder.Property(d => d.PartnerUserId).HasMaxLength(450).IsRequired();
        builder.Property(d => d.Values).IsRequired();
        builder.HasIndex(d => d.CreatedAt);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("Invitations");
        builder.Property(i => i.Email).HasMaxLength(AccountRequestConfiguration.EmailMax).IsRequired();
        builder.Property(i => i.Role).HasMaxLength(32).IsRequired();
        builder.Property(i => i.Language).HasMaxLength(16).IsUnicode(false).IsRequired();
        builder.Property(i => i.TokenHash).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.Property(i => i.InvitedById).HasMaxLength(450).IsRequired();
        builder.Property(i => i.InvitedByEmail).HasMaxLength(256).IsRequired();
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.HasIndex(i => new { i.Email, i.AcceptedAt, i.RevokedAt });
        builder.HasIndex(i => i.CreatedAt);
        builder.HasOne(i => i.Organisation).WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(e => e.ActorId).HasMaxLength(450);
        builder.Property(e => e.Actor).HasMaxLength(256).IsRequired();
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(48).IsUnicode(false);
        builder.Property(e => e.SubjectUserId).HasMaxLength(450);
        builder.Property(e => e.Subject).HasMaxLength(256).IsRequired();
        builder.Property(e => e.Detail).HasMaxLength(500);
        builder.HasIndex(e => new { e.SubjectUserId, e.Id });
        builder.HasIndex(e => new { e.OrganisationId, e.Id });
        builder.HasOne(e => e.Organisation).WithMany().HasForeignKey(e => e.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMax).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(16).IsUnicode(false).IsRequired();
        builder.Property(k => k.TokenHash).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.HasIndex(k => k.TokenHash).IsUnique();
        builder.Property(k => k.CreatedById).HasMaxLength(450).IsRequired();
        builder.Property(k => k.CreatedByEmail).HasMaxLength(256).IsRequired();
        builder.HasIndex(k => new { k.OrganisationId, k.Id });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(k => k.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
