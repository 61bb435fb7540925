using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Corrections;

/// <summary>Why a correction step was refused: the HTTP status, the problem key and its values. The key is one of
/// <c>localization/corrections</c>, or of <c>localization/residents</c> when <see cref="ResidentText"/> is set (an ID
/// number the registry's own check refuses).</summary>
internal sealed record CorrectionRefusal(int Status, string Key, params (string Name, object Value)[] Values)
{
    public bool ResidentText { get; init; }
}

/// <summary>A correction after a step of its workflow with its resident, or why the step was refused.</summary>
internal sealed record CorrectionStep(Correction? Correction, Resident? Resident, CorrectionRefusal? Refusal)
{
    public static CorrectionStep Refused(int status, string key, params (string Name, object Value)[] values) => new(null, null, new CorrectionRefusal(status, key, values));
}

/// <summary>A resident reports a wrong registration of someone they have bound: the field and value are checked
/// (normalised as the registry stores them, and different from what it holds), the number of pending corrections
/// per resident is capped, and the photo is kept only when its bytes are a picture. The photo file is removed again
/// should the row not be saved.</summary>
internal sealed class CorrectionSubmission(
    BindingStore bindings,
    ResidentRegistry registry,
    CorrectionStore store,
    CorrectionPhotos photos,
    PolicyCatalog catalog,
    ResidentWords words,
    BusinessClock businessClock,
    [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
    IOptions<CorrectionsOptions> options)
{
    public async Task<CorrectionStep> SubmitAsync(MiniProgramSession session, long residentId, string? field, string? value, IFormFile? photo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var o = options.Value;
        if (CorrectionNames.ParseField(field) is not { } kind)
        {
            return CorrectionStep.Refused(StatusCodes.Status400BadRequest, "fieldInvalid");
        }

        var bound = await bindings.ListAsync(session.AppId, session.OpenId, session.UnionId, cancellationToken);
        var resident = bound.Any(b => b.ResidentId == residentId)
            ? (await registry.GetAsync([residentId], cancellationToken)).SingleOrDefault()
            : null;
        if (resident is null)
        {
            return CorrectionStep.Refused(StatusCodes.Status404NotFound, "residentNotBound");
        }

        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return CorrectionStep.Refused(StatusCodes.Status400BadRequest, "valueMissing", ("field", texts.Word("field." + CorrectionNames.Name(kind))));
        }

        if (text.Length > o.MaxValueLength)
        {
            return CorrectionStep.Refused(StatusCodes.Status400BadRequest, "valueTooLong", ("max", o.MaxValueLength));
        }

        string newValue;
        string? currentValue;
        switch (kind)
        {
            case ResidentField.IdNumber:
                if (!ResidentIdNumber.TryParse(text, businessClock.Today(), out var number, out var error))
                {
                    return new CorrectionStep(null, null, new CorrectionRefusal(StatusCodes.Status400BadRequest, error.TextKey()) { ResidentText = true });
                }

                newValue = number.Value.Value;
                currentValue = resident.IdNumber;
                break;
            case ResidentField.Name:
                newValue = ResidentRegistry.NormaliseName(text);
                currentValue = resident.Name;
                break;
            case ResidentField.Category:
                if (!TryCategories(text, catalog.Find(resident.PolicyId), words, texts.Word("category.none"), out var codes, out var unknown))
                {
                    return CorrectionStep.Refused(StatusCodes.Status400BadRequest, "categoryUnknown", ("category", unknown));
                }

                newValue = codes;
                currentValue = string.Join(',', resident.CategoryCodes);
                break;
            default:
                newValue = text;
                currentValue = kind switch
                {
                    ResidentField.Township => resident.Township,
                    ResidentField.Village => resident.Village,
                    ResidentField.Address => resident.Address,
                    _ => resident.Household,
                };
                break;
        }

        if (string.Equals(newValue, currentValue, StringComparison.Ordinal))
        {
            return CorrectionStep.Refused(StatusCodes.Status422UnprocessableEntity, "sameValue");
        }

        var pending = await store.CountPendingAsync(resident.Id, cancellationToken);
        if (pending >= o.MaxPendingPerResident)
        {
            return CorrectionStep.Refused(StatusCodes.Status429TooManyRequests, "tooManyPending", ("count", pending));
        }

        string? photoFile = null;
        string? photoType = null;
        if (photo is { Length: > 0 })
        {
            if (photo.Length > o.MaxPhotoBytes)
            {
                return CorrectionStep.Refused(StatusCodes.Status413PayloadTooLarge, "photoTooLarge", ("megabytes", Math.Round(o.MaxPhotoBytes / 1048576.0, 1)));
            }

            var content = new byte[photo.Length];
            await using (var stream = photo.OpenReadStream())
            {
                await stream.ReadExactlyAsync(content, cancellationToken);
            }

            // The bytes decide, not the client's file name or content type.
            photoType = CorrectionPhotos.Sniff(content);
            if (photoType is null)
            {
                return CorrectionStep.Refused(StatusCodes.Status415UnsupportedMediaType, "photoType");
            }

            photoFile = await photos.SaveAsync(content, cancellationToken);
        }

        long id;
        try
        {
            id = await store.InsertAsync(new NewCorrection(resident.Id, session.Account, session.AppId, session.OpenId, kind, newValue, photoFile, photoType), cancellationToken);
        }
        catch
        {
            if (photoFile is not null)
            {
                photos.Delete(photoFile);
            }

            throw;
        }

        return new CorrectionStep(await store.GetAsync(id, cancellationToken), resident, null);
    }

    /// <summary>Resolves what the resident typed (codes, names or everyday words, separated by commas or 、) to the
    /// county's category codes; the word for "none" clears them.</summary>
    internal static bool TryCategories(string text, InsurancePolicy? policy, ResidentWords words, string none, out string codes, out string unknown)
    {
        codes = "";
        unknown = "";
        if (string.Equals(text, none, StringComparison.Ordinal))
        {
            return true;
        }

        var resolved = new List<string>();
        foreach (var part in text.Split([',', '，', '、', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (policy is null || words.Resolve(policy, part) is not { } category)
            {
                unknown = part;
                return false;
            }

            if (!resolved.Contains(category.Code, StringComparer.Ordinal))
            {
                resolved.Add(category.Code);
            }
        }

        codes = string.Join(',', resolved);
        return true;
    }
}
