namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>What a resident asks about.</summary>
internal enum ChatIntent
{
    /// <summary>Nothing understood.</summary>
    None = 0,
    AmountDue,
    TierDifference,
    Deadline,
    LatePayment,
    WaitingPeriod,
    Newborn,
    Students,
    SubsidisedGroups,
    HowToPay,
    HowToRegister,
    FixRegistration,
    PaymentStatus,
    Coverage,
    ContactPerson,
    Subscribe,
    Unsubscribe,
    Greeting,
    Thanks,
    OutOfScope,
}

/// <summary>The snake_case names used in the data files.</summary>
internal static class ChatIntents
{
    private static readonly Dictionary<string, ChatIntent> ByName = Enum.GetValues<ChatIntent>()
        .ToDictionary(Name, i => i, StringComparer.Ordinal);

    /// <summary>The data-file name, e.g. <c>amount_due</c>.</summary>
    public static string Name(ChatIntent intent) => intent switch
    {
        ChatIntent.None => "none",
        ChatIntent.AmountDue => "amount_due",
        ChatIntent.TierDifference => "tier_difference",
        ChatIntent.Deadline => "deadline",
        ChatIntent.LatePayment => "late_payment",
        ChatIntent.WaitingPeriod => "waiting_period",
        ChatIntent.Newborn => "newborn",
        ChatIntent.Students => "students",
        ChatIntent.SubsidisedGroups => "subsidised_groups",
        ChatIntent.HowToPay => "how_to_pay",
        ChatIntent.HowToRegister => "how_to_register",
        ChatIntent.FixRegistration => "fix_registration",
        ChatIntent.PaymentStatus => "payment_status",
        ChatIntent.Coverage => "coverage",
        ChatIntent.ContactPerson => "contact_person",
        ChatIntent.Subscribe => "subscribe",
        ChatIntent.Unsubscribe => "unsubscribe",
        ChatIntent.Greeting => "greeting",
        ChatIntent.Thanks => "thanks",
        ChatIntent.OutOfScope => "out_of_scope",
        _ => throw new ArgumentOutOfRangeException(nameof(intent)),
    };

    /// <summary>Parses a data-file name.</summary>
    public static ChatIntent Parse(string name) =>
        ByName.TryGetValue(name, out var intent) ? intent : throw new InvalidDataException($"Unknown chat intent '{name}'.");
}
