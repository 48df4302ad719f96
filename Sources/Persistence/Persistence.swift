/// SQL access (SQLite, PostgreSQL), migrations, transactions and the blob storage area.
package enum PersistenceModule {}
