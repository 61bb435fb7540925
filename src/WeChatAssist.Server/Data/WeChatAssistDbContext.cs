using Microsoft.EntityFrameworkCore;

namespace WeChatAssist.Server.Data;

/// <summary>The product's tables. The schema is owned by the versioned scripts in <c>Data/Schema</c>, not by EF
/// Core: the mapping here names tables and columns exactly as those scripts create them.</summary>
internal sealed class WeChatAssistDbContext(DbContextOptions<WeChatAssistDbContext> options) : DbContext(options)
{
    public DbSet<AppSetting> AppSettings => Set<AppSetting>();

    public DbSet<MessageDedupe> MessageDedupes => Set<MessageDedupe>();

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
            dedupe.Property(d => d.ExpiresAt).HasColumnName("expires_at");
            dedupe.HasIndex(d => d.ExpiresAt).HasDatabaseName("ix_message_dedupe_expires_at");
        });
    }
}
