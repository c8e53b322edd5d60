using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Data.Configurations;

/// <summary>
/// The outbox: one table for e-mails and webhook deliveries, told apart by its Channel column
/// (the <see cref="OutboxChannel"/> name), so both are claimed, leased and retried the same way.
/// </summary>
internal sealed class OutboxItemConfiguration : IEntityTypeConfiguration<OutboxItem>
{
    public void Configure(EntityTypeBuilder<OutboxItem> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasDiscriminator<string>(OutboxSender.ChannelColumn)
            .HasValue<OutboxMessage>(nameof(OutboxChannel.Mail))
            .HasValue<WebhookDelivery>(nameof(OutboxChannel.Webhook));
        builder.Property<string>(OutboxSender.ChannelColumn).HasMaxLength(16).IsUnicode(false).HasDefaultValue(nameof(OutboxChannel.Mail));
        builder.Property(m => m.MessageId).HasMaxLength(128).IsRequired();
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.Property(m => m.LeaseOwner).HasMaxLength(128);
        builder.Property(m => m.Version).IsConcurrencyToken();

        // What the sender asks every tick: which messages are due.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasOne(m => m.Request).WithMany().HasForeignKey(m => m.AccountRequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.To).HasMaxLength(254).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(400).IsRequired();
        builder.Property(m => m.Language).HasMaxLength(16).IsUnicode(false).IsRequired().HasDefaultValue(Localization.Texts.DefaultCulture);
        builder.Property(m => m.TextBody).IsRequired();
        builder.Property(m => m.HtmlBody).IsRequired();
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.Event).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(d => d.Payload).IsRequired();

        // An endpoint's delivery log, newest first.
        builder.HasIndex(d => new { d.WebhookEndpointId, d.Id });
        builder.HasOne(d => d.Endpoint).WithMany().HasForeignKey(d => d.WebhookEndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("WebhookEndpoints");
        builder.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMax).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMax);
        builder.Property(e => e.ProtectedSecret).HasMaxLength(1000).IsUnicode(false).IsRequired();
        builder.Property(e => e.PreviousProtectedSecret).HasMaxLength(1000).IsUnicode(false);
        builder.Property(e => e.CreatedByEmail).HasMaxLength(256).IsRequired();
        builder.HasIndex(e => e.OrganisationId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(e => e.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
