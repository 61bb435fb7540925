using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Corrections;

/// <summary>What the mini-program correction endpoints use, bundled (bound with <c>[AsParameters]</c>) so a handler's
/// signature names only what the request carries.</summary>
internal sealed record MiniProgramCorrectionServices(
    CorrectionSubmission Submission,
    CorrectionStore Store,
    BindingStore Bindings,
    ResidentRegistry Registry,
    [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts Texts,
    [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts ResidentTexts);

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
        [AsParameters] MiniProgramCorrectionServices services,
        CancellationToken cancellationToken)
    {
        var step = await services.Submission.SubmitAsync(MiniProgramAuthentication.Session(user), residentId, field, value, photo, cancellationToken);
        return step.Refusal switch
        {
            { ResidentText: true } refusal => services.ResidentTexts.Problem(refusal.Status, refusal.Key, refusal.Values),
            { } refusal => services.Texts.Problem(refusal.Status, refusal.Key, refusal.Values),
            null => TypedResults.Created("/api/v1/mp/corrections", Describe(step.Correction!, step.Resident!, services.Texts)),
        };
    }

    internal static async Task<Ok<MpCorrectionResponse[]>> List(
        ClaimsPrincipal user,
        [AsParameters] MiniProgramCorrectionServices services,
        CancellationToken cancellationToken)
    {
        var (bindings, registry, store, texts) = (services.Bindings, services.Registry, services.Store, services.Texts);
        var session = MiniProgramAuthentication.Session(user);
        var bound = await bindings.ListAsync(session.AppId, session.OpenId, session.UnionId, cancellationToken);
        var ids = bound.Select(b => b.ResidentId).ToArray();
        var residents = (await registry.GetAsync(ids, cancellationToken)).ToDictionary(r => r.Id);
        var corrections = await store.ListForResidentsAsync(ids, ListLimit, cancellationToken);
        return TypedResults.Ok(corrections.Where(c => residents.ContainsKey(c.ResidentId)).Select(c => Describe(c, residents[c.ResidentId], texts)).ToArray());
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
