using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartAccountPortal.Data.Migrations.Sqlite
{
    public partial class OutboxAndActivation : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActivationTokenHash",
                table: "AccountRequests",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AccountRequestId = table.Column<int>(type: "INTEGER", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    TextBody = table.Column<string>(type: "TEXT", nullable: false),
                    HtmlBody = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedLink = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OutboxMessages_AccountRequests_AccountRequestId",
                        column: x => x.AccountRequestId,
                        principalTable: "AccountRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Requests made before activation links existed get a unique value that no token
            // hashes to (tokens hash to 64 hex digits); a resend gives them a working link.
            migrationBuilder.Sql("UPDATE AccountRequests SET ActivationTokenHash = 'none:' || Reference;");

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_ActivationTokenHash",
                table: "AccountRequests",
                column: "ActivationTokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_AccountRequestId",
                table: "OutboxMessages",
                column: "AccountRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_MessageId",
                table: "OutboxMessages",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_NextAttemptAt",
                table: "OutboxMessages",
                columns: new[] { "Status", "NextAttemptAt" });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_ActivationTokenHash",
                table: "AccountRequests");

            migrationBuilder.DropColumn(
                name: "ActivationTokenHash",
                table: "AccountRequests");
        }
    }
}
