namespace WeChatAssist.Server.Chat.Residents;

/// <summary>Where a follower the chatbot cannot connect to a resident can bind themself: appended to the "not bound"
/// answer instead of pretending to know them (e.g. a link that opens the mini-program's binding page).</summary>
internal interface IBindingInvitation
{
    /// <summary>Text to append on <paramref name="account"/>, or null when there is nowhere to send the follower.</summary>
    string? For(string account);
}

/// <summary>No binding page (the default until the mini-program provides one).</summary>
internal sealed class NoBindingInvitation : IBindingInvitation
{
    public string? For(string account) => null;
}
