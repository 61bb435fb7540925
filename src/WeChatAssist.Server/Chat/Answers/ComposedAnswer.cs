using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Chat.Answers;

/// <summary>An answer before rendering: the template section, its model and the clauses it rests on.</summary>
/// <param name="Template">Section of <c>templates/chat/answers.*.scriban</c>.</param>
/// <param name="Model">Values for the template (amounts and dates already formatted from the engine's quote).</param>
/// <param name="Citations">Clauses cited.</param>
/// <param name="FellBack">The bot did not answer the question (menu, clarifying question, out of scope).</param>
/// <param name="PendingIntent">The question now waiting for a fact, or None.</param>
/// <param name="Choices">Intents offered by a clarifying question.</param>
internal sealed record ComposedAnswer(
    string Template,
    Dictionary<string, object?> Model,
    IReadOnlyList<Citation> Citations,
    bool FellBack,
    ChatIntent PendingIntent = ChatIntent.None,
    IReadOnlyList<ChatIntent>? Choices = null)
{
    /// <summary>The quote's explanation steps the answer rests on (empty for answers not computed from a quote): the
    /// late-payment rule among them decides which sentence of its clause explains the figure.</summary>
    public IReadOnlyList<ExplanationStep> Steps { get; init; } = [];
}
