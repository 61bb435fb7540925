using Microsoft.EntityFrameworkCore;

namespace WeChatAssist.Server.Data;

/// <summary>The product's tables. The schema is owned by the versioned scripts in <c>Data/Schema</c>, not by EF
/// Core: the mapping here names tables and columns exactly as those scripts create them.</summary>
internal sealed class WeChatAssistDbContext(DbContextOptions<WeChatAssistDbContext> options) : DbContext(options)
{
    public DbSet<AppSetting> AppSettings => Set<AppSetting>();

    public DbSet<MessageDedupe> MessageDedupes => Set<MessageDedupe>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Npgsql writes only UTC to timestamptz; storing every instant as UTC lets callers pass China time (+08:00)
        // on either provider and keeps SQLite's text timestamps in one comparable form.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcInstantConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AppSetting>(setting =>
        {
            setting.ToTable("app_settings");
            setting.HasKey(s => s.Key);
            setting.Property(s => s.Key).HasColumnName("key");
            setting.Property(s => s.Value).HasColumnName("value");
            setting.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        });

        modelBuilder.Entity<MessageDedupe>(dedupe =>
        {
            dedupe.ToTable("message_dedupe");
            dedupe.HasKey(d => new { d.Account, d.DedupeKey });
            dedupe.Property(d => d.Account).HasColumnName("account");
            dedupe.Property(d => d.DedupeKey).HasColumnName("dedupe_key");
            var expiresAt = dedupe.Property(d => d.ExpiresAt).HasColumnName("expires_at");
            if (Database.IsSqlite())
            {
                // SQLite has no instant type; Unix milliseconds keep "expired before now" an integer comparison.
                expiresAt.HasConversion(instant => instant.ToUnixTimeMilliseconds(), millis => DateTimeOffset.FromUnixTimeMilliseconds(millis));
            }

            dedupe.HasIndex(d => d.ExpiresAt).HasDatabaseName("ix_message_dedupe_expires_at");
        });
    }
}

/// <summary>Stores a <see cref="DateTimeOffset"/> as the same instant at offset zero.</summary>
internal sealed class UtcInstantConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, DateTimeOffset>(
    instant => instant.ToUniversalTime(),
    stored => stored);
