package io.replagent.converge;

/** Public keys for tests (public halves only: nothing secret). */
final class PublicKeyFixture {

    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh6/DwLNt68jb146NCdJp777q5v3o38q/iy4ma4fzOA";
    static final String OTHER = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKTGa8NDwOUdz0K9h8PA2IyuYFf2YVEF0vzUBn5oQkra";

    private PublicKeyFixture() {}
}
