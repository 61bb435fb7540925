using WeChatAssist.Policy;

namespace WeChatAssist.Server.Reminders;

/// <summary>Which residents each policy's reminders go to on a business date, by the engine's rule
/// (<see cref="PolicyCatalog.Current"/>) that the chatbot, quotes, landing pages and the mini-program use: residents
/// are registered under a policy id, and a county's later benefit year serves them once its collection window has
/// opened. So a published next-year notice takes over its county's reminders on its first collection day, and the
/// year it replaced plans nothing more that asks them to pay.</summary>
internal static class ReminderAudiences
{
    /// <summary>Every loaded policy with the registered policy ids whose residents it serves on
    /// <paramref name="today"/>: its own id and those of the earlier years it has taken over; none when a later year
    /// has taken over its residents.</summary>
    public static IReadOnlyList<(InsurancePolicy Policy, IReadOnlyList<string> Served)> On(PolicyCatalog catalog, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var all = catalog.All;
        var served = all.ToDictionary(p => p.Id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var registered in all)
        {
            if (catalog.Current(registered.Id, today) is { } current && served.TryGetValue(current.Id, out var ids))
            {
                ids.Add(registered.Id);
            }
        }

        return [.. all.Select(p => (p, (IReadOnlyList<string>)served[p.Id]))];
    }

    /// <summary>The ids of every loaded policy of <paramref name="policy"/>'s county (any benefit year): a payment
    /// is receipted by the policy of the year it pays for, whichever year the payer is registered under.</summary>
    public static IReadOnlyList<string> County(PolicyCatalog catalog, InsurancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(policy);
        return [.. catalog.All.Where(p => p.Name == policy.Name).Select(p => p.Id)];
    }
}
