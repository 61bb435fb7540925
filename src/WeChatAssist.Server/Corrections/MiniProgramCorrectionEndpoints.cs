using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Corrections;

/// <summary><c>/api/v1/mp/corrections</c>: a resident reports a wrong registration of someone they have bound, and follows it.</summary>
internal static class MiniProgramCorrectionEndpoints
{
    private const int ListLimit = 100;

    /// <summary>Room for the form's text fields and multipart boundaries beside the photo.</summary>
    private const int FormOverheadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapMiniProgramCorrections(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/mp/corrections").WithTags("MiniProgram")
            .AddEndpointFilter<PersonalDataGate>()
            .RequireAuthorization(MiniProgramAuthentication.PolicyName);

        // wx.uploadFile posts multipart/form-data with a bearer token, not a cookie: nothing for antiforgery to protect.
        // The whole upload is capped a little above the photo limit, so an oversized body is refused before it is read.
        var maxPhoto = endpoints.ServiceProvider.GetRequiredService<IOptions<CorrectionsOptions>>().Value.MaxPhotoBytes;
        group.MapPost("", Submit).WithName("MiniProgramSubmitCorrection").DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(maxPhoto + FormOverheadBytes));
        group.MapGet("", List).WithName("MiniProgramListCorrections");
        return endpoints;
    }

    internal static async Task<Results<Created<MpCorrectionResponse>, ProblemHttpResult>> Submit(
        [FromForm] long residentId,
        [FromForm] string? field,
        [FromForm] string? value,
        IFormFile? photo,
        ClaimsPrincipal user,
        BindingStore bindings,
        ResidentRegistry registry,
        CorrectionStore store,
        CorrectionPhotos photos,
        PolicyCatalog catalog,
        ResidentWords words,
        BusinessClock businessClock,
        [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts residentTexts,
        IOptions<CorrectionsOptions> options,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        var session = MiniProgramAuthentication.Session(user);
        if (CorrectionNames.ParseField(field) is not { } kind)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "fieldInvalid");
        }

        var bound = await bindings.ListAsync(session.AppId, session.OpenId, session.UnionId, cancellationToken);
        var resident = bound.Any(b => b.ResidentId == residentId)
            ? (await registry.GetAsync([residentId], cancellationToken)).SingleOrDefault()
            : null;
        if (resident is null)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "residentNotBound");
        }

        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "valueMissing", ("field", texts.Word("field." + CorrectionNames.Name(kind))));
        }

        if (text.Length > o.MaxValueLength)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "valueTooLong", ("max", o.MaxValueLength));
        }

        string newValue;
        string? currentValue;
        switch (kind)
        {
            case ResidentField.IdNumber:
                if (!ResidentIdNumber.TryParse(text, businessClock.Today(), out var number, out var error))
                {
                    return residentTexts.Problem(StatusCodes.Status400BadRequest, error.TextKey());
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
                    return texts.Problem(StatusCodes.Status400BadRequest, "categoryUnknown", ("category", unknown));
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
            return texts.Problem(StatusCodes.Status422UnprocessableEntity, "sameValue");
        }

        var pending = await store.CountPendingAsync(resident.Id, cancellationToken);
        if (pending >= o.MaxPendingPerResident)
        {
            return texts.Problem(StatusCodes.Status429TooManyRequests, "tooManyPending", ("count", pending));
        }

        string? photoFile = null;
        string? photoType = null;
        if (photo is { Length: > 0 })
        {
            if (photo.Length > o.MaxPhotoBytes)
            {
                return texts.Problem(StatusCodes.Status413PayloadTooLarge, "photoTooLarge", ("megabytes", Math.Round(o.MaxPhotoBytes / 1048576.0, 1)));
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
                return texts.Problem(StatusCodes.Status415UnsupportedMediaType, "photoType");
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

        var saved = await store.GetAsync(id, cancellationToken);
        return TypedResults.Created("/api/v1/mp/corrections", Describe(saved!, resident, texts));
    }

    internal static async Task<Ok<MpCorrectionResponse[]>> List(
        ClaimsPrincipal user,
        BindingStore bindings,
        ResidentRegistry registry,
        CorrectionStore store,
        [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        var session = MiniProgramAuthentication.Session(user);
        var bound = await bindings.ListAsync(session.AppId, session.OpenId, session.UnionId, cancellationToken);
        var ids = bound.Select(b => b.ResidentId).ToArray();
        var residents = (await registry.GetAsync(ids, cancellationToken)).ToDictionary(r => r.Id);
        var corrections = await store.ListForResidentsAsync(ids, ListLimit, cancellationToken);
        return TypedResults.Ok(corrections.Where(c => residents.ContainsKey(c.ResidentId)).Select(c => Describe(c, residents[c.ResidentId], texts)).ToArray());
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

    /// <summary>Shows a value to whoever it belongs to: names and numbers masked; the rest as written.</summary>
    internal static string Shown(ResidentField field, string value) => field switch
    {
        ResidentField.Name => PersonalDataMask.Name(value),
        ResidentField.IdNumber => PersonalDataMask.IdNumber(value),
        ResidentField.Address => MaskAddress(value),
        _ => value,
    };

    // The village part stays readable for the reviewer; the house number does not.
    private static string MaskAddress(string address) => address[..Math.Min(4, address.Length / 2)] + "****";

    private static MpCorrectionResponse Describe(Correction c, Resident resident, ProblemTexts texts) => new(
        c.Id,
        c.ResidentId,
        PersonalDataMask.Name(resident.Name),
        CorrectionNames.Name(c.Field),
        texts.Word("field." + CorrectionNames.Name(c.Field)),
        Shown(c.Field, c.NewValue),
        CorrectionNames.Name(c.Status),
        texts.Word("status." + CorrectionNames.Name(c.Status)),
        c.Reason,
        c.PhotoFile is not null,
        c.CreatedAt,
        c.ReviewedAt,
        c.PhotoDeletedAt);
}
