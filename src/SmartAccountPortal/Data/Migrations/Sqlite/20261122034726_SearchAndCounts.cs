using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartAccountPortal.Data.Migrations.Sqlite
{
    /// <summary>
    /// The search index and the kept counts, both maintained by triggers so that every write,
    /// whoever makes it, keeps them exact. A later migration that rebuilds AccountRequests
    /// (SQLite alters most columns that way) drops its triggers: it must create them again
    /// (MigrationTests checks they exist).
    /// </summary>
    public partial class SearchAndCounts : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_OrganisationId_SubmittedAt",
                table: "AccountRequests");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_SubmittedAt",
                table: "AccountRequests");

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_OrganisationId_Id",
                table: "AccountRequests",
                columns: new[] { "OrganisationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_OrganisationId_Status_Id",
                table: "AccountRequests",
                columns: new[] { "OrganisationId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_Status_Id",
                table: "AccountRequests",
                columns: new[] { "Status", "Id" });

            // Any part of any searched field, case and accents folded: the trigram tokenizer
            // indexes every three characters. Its rowid is the request's id.
            migrationBuilder.Sql(@"
CREATE VIRTUAL TABLE RequestSearch USING fts5(
    Reference, AccountName, AccountDomain, CustomerEmail, PartnerEmail, Organisation,
    tokenize = 'trigram remove_diacritics 1');

INSERT INTO RequestSearch (rowid, Reference, AccountName, AccountDomain, CustomerEmail, PartnerEmail, Organisation)
SELECT r.Id, r.Reference, r.AccountName, r.AccountDomain, r.CustomerEmail, u.Email, o.Name
FROM AccountRequests r
LEFT JOIN AspNetUsers u ON u.Id = r.PartnerUserId
LEFT JOIN Organisations o ON o.Id = r.OrganisationId;

CREATE TRIGGER RequestSearch_AfterInsert AFTER INSERT ON AccountRequests BEGIN
    INSERT INTO RequestSearch (rowid, Reference, AccountName, AccountDomain, CustomerEmail, PartnerEmail, Organisation)
    VALUES (new.Id, new.Reference, new.AccountName, new.AccountDomain, new.CustomerEmail,
        (SELECT Email FROM AspNetUsers WHERE Id = new.PartnerUserId),
        (SELECT Name FROM Organisations WHERE Id = new.OrganisationId));
END;

CREATE TRIGGER RequestSearch_AfterUpdate
AFTER UPDATE OF Reference, AccountName, AccountDomain, CustomerEmail, PartnerUserId, OrganisationId ON AccountRequests BEGIN
    UPDATE RequestSearch SET
        Reference = new.Reference, AccountName = new.AccountName, AccountDomain = new.AccountDomain, CustomerEmail = new.CustomerEmail,
        PartnerEmail = (SELECT Email FROM AspNetUsers WHERE Id = new.PartnerUserId),
        Organisation = (SELECT Name FROM Organisations WHERE Id = new.OrganisationId)
    WHERE rowid = new.Id;
END;

CREATE TRIGGER RequestSearch_AfterDelete AFTER DELETE ON AccountRequests BEGIN
    DELETE FROM RequestSearch WHERE rowid = old.Id;
END;

CREATE TRIGGER RequestSearch_PartnerEmail AFTER UPDATE OF Email ON AspNetUsers BEGIN
    UPDATE RequestSearch SET PartnerEmail = new.Email
    WHERE rowid IN (SELECT Id FROM AccountRequests WHERE PartnerUserId = new.Id);
END;

CREATE TRIGGER RequestSearch_Organisation AFTER UPDATE OF Name ON Organisations BEGIN
    UPDATE RequestSearch SET Organisation = new.Name
    WHERE rowid IN (SELECT Id FROM AccountRequests WHERE OrganisationId = new.Id);
END;
");

            // How many requests each organisation has in each state, kept as they change.
            migrationBuilder.Sql(@"
CREATE TABLE RequestCounts (
    OrganisationId INTEGER NOT NULL,
    Status TEXT NOT NULL,
    Count INTEGER NOT NULL,
    PRIMARY KEY (OrganisationId, Status)) WITHOUT ROWID;

INSERT INTO RequestCounts (OrganisationId, Status, Count)
SELECT OrganisationId, Status, COUNT(*) FROM AccountRequests GROUP BY OrganisationId, Status;

CREATE TRIGGER RequestCounts_AfterInsert AFTER INSERT ON AccountRequests BEGIN
    INSERT INTO RequestCounts (OrganisationId, Status, Count) VALUES (new.OrganisationId, new.Status, 1)
    ON CONFLICT (OrganisationId, Status) DO UPDATE SET Count = Count + 1;
END;

CREATE TRIGGER RequestCounts_AfterUpdate AFTER UPDATE OF Status, OrganisationId ON AccountRequests
WHEN old.Status IS NOT new.Status OR old.OrganisationId IS NOT new.OrganisationId BEGIN
    UPDATE RequestCounts SET Count = Count - 1 WHERE OrganisationId = old.OrganisationId AND Status = old.Status;
    INSERT INTO RequestCounts (OrganisationId, Status, Count) VALUES (new.OrganisationId, new.Status, 1)
    ON CONFLICT (OrganisationId, Status) DO UPDATE SET Count = Count + 1;
END;

CREATE TRIGGER RequestCounts_AfterDelete AFTER DELETE ON AccountRequests BEGIN
    UPDATE RequestCounts SET Count = Count - 1 WHERE OrganisationId = old.OrganisationId AND Status = old.Status;
END;
");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"
DROP TRIGGER RequestCounts_AfterDelete;
DROP TRIGGER RequestCounts_AfterUpdate;
DROP TRIGGER RequestCounts_AfterInsert;
DROP TABLE RequestCounts;
DROP TRIGGER RequestSearch_Organisation;
DROP TRIGGER RequestSearch_PartnerEmail;
DROP TRIGGER RequestSearch_AfterDelete;
DROP TRIGGER RequestSearch_AfterUpdate;
DROP TRIGGER RequestSearch_AfterInsert;
DROP TABLE RequestSearch;
");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_OrganisationId_Id",
                table: "AccountRequests");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_OrganisationId_Status_Id",
                table: "AccountRequests");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_Status_Id",
                table: "AccountRequests");

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_OrganisationId_SubmittedAt",
                table: "AccountRequests",
                columns: new[] { "OrganisationId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_SubmittedAt",
                table: "AccountRequests",
                column: "SubmittedAt");
        }
    }
}
