using System.Globalization;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Clock;

/// <summary>The demo date chosen in Development, kept in <c>app_settings</c> so it survives a restart.</summary>
internal sealed class BusinessDateStore(AppSettings settings, TimeProvider realClock)
{
    /// <summary>The <c>app_settings</c> key.</summary>
    public const string Key = "dev.business-date";

    /// <summary>The stored choice, or <see langword="null"/> when none was made (or it was cleared).</summary>
    public async Task<DateOnly?> FindAsync(CancellationToken cancellationToken) =>
        await settings.FindAsync(Key, cancellationToken) is { } text
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>Keeps <paramref name="date"/> as the choice; <see langword="null"/> forgets it.</summary>
    public Task SaveAsync(DateOnly? date, CancellationToken cancellationToken) =>
        date is { } chosen
            ? settings.SetAsync(Key, chosen.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), realClock.GetUtcNow(), cancellationToken)
            : settings.DeleteAsync(Key, cancellationToken);
}
