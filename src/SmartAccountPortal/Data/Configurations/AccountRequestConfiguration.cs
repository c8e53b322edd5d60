using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Data.Configurations;

internal sealed class AccountRequestConfiguration : IEntityTypeConfiguration<AccountRequest>
{
    public const int AccountNameMax = 100;
    public const int EmailMax = 254;
    public const int DomainMax = 253;
    public const int NoteMax = 1000;

    public void Configure(EntityTypeBuilder<AccountRequest> builder)
    {
        builder.ToTable("AccountRequests");
        builder.Property(r => r.Reference).HasMaxLength(16).IsRequired();
        builder.HasIndex(r => r.Reference).IsUnique();
        builder.Property(r => r.AccountName).HasMaxLength(AccountNameMax).IsRequired();
        builder.Property(r => r.CustomerEmail).HasMaxLength(EmailMax).IsRequired();
        builder.Property(r => r.AccountDomain).HasMaxLength(DomainMax).IsRequired();
        builder.Property(r => r.NoteToCustomer).HasMaxLength(NoteMax);
        builder.Property(r => r.NoteToAddedUsers).HasMaxLength(NoteMax);
        builder.Property(r => r.CustomerLanguage).HasMaxLength(16).IsUnicode(false).IsRequired().HasDefaultValue(Localization.Texts.DefaultCulture);

        // Addresses cannot contain a line break, so one text column with one address a line
        // keeps the list in order without a table of its own.
        builder.Property(r => r.UserEmails)
            .HasConversion<AddressListConverter, AddressListComparer>()
            .IsRequired();

        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.SubmissionKey).HasMaxLength(64).IsRequired();
        builder.HasIndex(r => r.SubmissionKey).IsUnique();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Property(r => r.ActivationTokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(r => r.ActivationTokenHash).IsUnique();

        // At most one open (Pending or Active) request per domain, enforced by the database
        // too, so two partners submitting at the same moment cannot both get one.
        builder.HasIndex(r => r.AccountDomain)
            .IsUnique()
            .HasFilter("[Status] IN ('Pending', 'Active')")
            .HasDatabaseName("IX_AccountRequests_AccountDomain_Open");

        // The lists' orders: My Requests (per organisation, newest first, or in one state), the support
        // console (newest first, or soonest to expire), and expiry (Pending by expiry time).
        // Newest first is by id (ids follow submission), so these end with it.
        builder.HasIndex(r => new { r.OrganisationId, r.Id });
        builder.HasIndex(r => new { r.OrganisationId, r.Status, r.Id });
        builder.HasIndex(r => new { r.Status, r.Id });
        builder.HasIndex(r => r.ExpiresAt);
        builder.HasIndex(r => new { r.Status, r.ExpiresAt });

        builder.HasOne(r => r.PartnerUser).WithMany().HasForeignKey(r => r.PartnerUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Organisation).WithMany().HasForeignKey(r => r.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.Events).WithOne().HasForeignKey(e => e.AccountRequestId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

/// <summary>User Emails stored as one text, an address a line (types, so the compiled model can name them).</summary>
internal sealed class AddressListConverter() : ValueConverter<IReadOnlyList<string>, string>(
    list => string.Join('\n', list),
    text => text.Length == 0 ? Array.Empty<string>() : text.Split('\n', StringSplitOptions.None));

/// <summary>Two lists of addresses are equal when they hold the same addresses in the same order.</summary>
internal sealed class AddressListComparer() : ValueComparer<IReadOnlyList<string>>(
    (a, b) => a!.SequenceEqual(b!),
    list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
    list => list.ToArray());
