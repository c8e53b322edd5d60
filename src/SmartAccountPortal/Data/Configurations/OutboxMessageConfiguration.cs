using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Data.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.Property(m => m.MessageId).HasMaxLength(128).IsRequired();
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.To).HasMaxLength(254).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(400).IsRequired();
        builder.Property(m => m.Language).HasMaxLength(16).IsUnicode(false).IsRequired().HasDefaultValue(Localization.Texts.DefaultCulture);
        builder.Property(m => m.TextBody).IsRequired();
        builder.Property(m => m.HtmlBody).IsRequired();
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.Property(m => m.LeaseOwner).HasMaxLength(128);
        builder.Property(m => m.Version).IsConcurrencyToken();

        // What the sender asks every tick: which messages are due.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasOne(m => m.Request).WithMany().HasForeignKey(m => m.AccountRequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
