# The portal as a container: build with the SDK, run on the ASP.NET Core runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/SmartAccountPortal/SmartAccountPortal.csproj src/SmartAccountPortal/
RUN dotnet restore src/SmartAccountPortal/SmartAccountPortal.csproj -r linux-x64
COPY src/ src/
# ReadyToRun: the portal and its libraries are compiled ahead of time, so start-up JITs far less.
RUN dotnet publish src/SmartAccountPortal/SmartAccountPortal.csproj --no-restore -c Release -o /app \
    -r linux-x64 --self-contained false -p:PublishReadyToRun=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "SmartAccountPortal.dll"]
