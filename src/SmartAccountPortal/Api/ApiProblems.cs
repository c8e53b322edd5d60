using Microsoft.AspNetCore.Http.HttpResults;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Api;

/// <summary>
/// The API's errors as RFC 9457 problem documents, their title and detail in the caller's
/// language (Accept-Language): a type per kind of problem, validation errors per field.
/// </summary>
public static class ApiProblems
{
    public const string TypeBase = "https://smartaccountportal.example/problems/";

    /// <summary>A problem of kind <paramref name="key"/> ("Api.Problem.NotFound"): its title is the text of the key, its detail of key + ".Detail".</summary>
    public static ProblemHttpResult Of(int status, string key, params object?[] detail) =>
        TypedResults.Problem(
            detail: Texts.Format(key + ".Detail", detail),
            statusCode: status,
            title: Texts.Get(key),
            type: TypeBase + Slug(key));

    /// <summary>Validation errors per field (the API's names), with the same messages as the form.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: Texts.Get("Api.Problem.Invalid.Detail"), title: Texts.Get("Api.Problem.Invalid"), type: TypeBase + "invalid");

    public static ProblemHttpResult NotFound() => Of(StatusCodes.Status404NotFound, "Api.Problem.NotFound");

    /// <summary>Writes a problem outside an endpoint (sign-in, rate limits).</summary>
    public static Task Write(HttpContext context, int status, string key) => Of(status, key).ExecuteAsync(context);

    private static string Slug(string key) => key["Api.Problem.".Length..].ToLowerInvariant();
}
