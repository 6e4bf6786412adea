using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SmartChain.Api;

/// <summary>
/// The API's error answers: application/problem+json with a status and a detail that says what was wrong. Public so an
/// application's endpoints (<see cref="IApplicationEndpoints"/>) answer alike.
/// </summary>
public static class Problems
{
    /// <summary>400: the request itself is wrong.</summary>
    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    /// <summary>404: nothing there.</summary>
    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>422: a transaction the replicas refused.</summary>
    public static ProblemHttpResult Rejected(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Transaction rejected");

    /// <summary>429: over a limit; try again later.</summary>
    public static ProblemHttpResult Busy(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Busy");

    /// <summary>503: the replica cannot answer yet.</summary>
    public static ProblemHttpResult NotReady(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
}
